import AnomalyModels

/// A loaded model as offline scoring sees it: named input fields in, scores and flags out.
struct Scorer {
    let featureNames: [String]
    let score: (FeatureMatrix) -> [Double]
    let flags: ([Double]) -> [Bool]
}

/// Loads any kind of model file, dispatching on its `model_kind`.
func loadScorer(path: String) throws -> Scorer {
    let kind = try ModelFileKind.read(from: path)
    switch kind {
    case "isolation-forest":
        let forest = try IsolationForest.load(from: path)
        return Scorer(featureNames: forest.featureNames, score: forest.score, flags: forest.flags)
    default:
        throw CommandFailure("\(path): this Forewarn cannot score models of kind '\(kind)'")
    }
}
