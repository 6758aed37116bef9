import AnomalyModels
import EventArchive
import ModelRegistry

/// Why a model version was refused for serving; the old version keeps serving.
public struct ModelRefusal: Error, CustomStringConvertible, Sendable {
    public var name: String
    public var version: Int?
    public var reason: String
    public var description: String { "\(name)\(version.map { " v\($0)" } ?? ""): \(reason)" }
}

/// Loads registered versions by their file's `model_kind`, and checks that
/// they fit the stream they are asked to score.
public enum ModelLoading {
    /// Loads `path` (version `version` of `name`) and checks its features are fields of `spec`.
    public static func load(name: String, version: Int, path: String, spec: StreamSpec, archive: String? = nil)
        throws(ModelRefusal) -> LoadedModel
    {
        let model: LoadedModel
        do {
            let kind = try ModelFileKind.read(from: path)
            switch kind {
            case "isolation-forest":
                model = IsolationForestModel(name: name, version: version, forest: try IsolationForest.load(from: path))
            case SeasonalForecaster.modelKind:
                let forecaster = try SeasonalForecaster.load(from: path)
                let history = archive.map {
                    ForecastModel.archiveHistory(root: $0, stream: spec.stream, fields: forecaster.fieldNames)
                }
                model = ForecastModel(name: name, version: version, model: forecaster, history: history)
            default:
                throw ModelRefusal(name: name, version: version, reason: "this Forewarn cannot serve models of kind '\(kind)'")
            }
        } catch let refusal as ModelRefusal {
            throw refusal
        } catch {
            throw ModelRefusal(name: name, version: version, reason: "\(error)")
        }
        let missing = model.featureNames.filter { !spec.fields.contains($0) }
        guard missing.isEmpty else {
            throw ModelRefusal(
                name: name, version: version,
                reason: "it reads fields \(missing.joined(separator: ", ")) that stream '\(spec.stream)' does not have "
                    + "(its fields: \(spec.fields.joined(separator: ", ")))")
        }
        return model
    }
}
