/// Why a model could not be fitted, loaded or applied.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    case badParameter(String)
    case emptyTrainingData
    case columnMismatch(expected: [String], found: [String])
    case corruptModel(path: String, reason: String)
    case unsupportedVersion(path: String, found: Int, supported: Int)
    /// The training window is too short for what the model was asked to learn; the message says what is needed.
    case insufficientHistory(String)

    public var description: String {
        switch self {
        case .badParameter(let m): m
        case .emptyTrainingData: "no training rows: the window holds no events (check --from/--to and the stream)"
        case .columnMismatch(let e, let f):
            "the model was trained on fields [\(e.joined(separator: ", "))] but the input has [\(f.joined(separator: ", "))]"
        case .corruptModel(let p, let r): "\(p): not a valid model file: \(r)"
        case .insufficientHistory(let m): m
        case .unsupportedVersion(let p, let found, let supported):
            "\(p): model format version \(found) is not supported (this Forewarn reads version \(supported))"
        }
    }
}
