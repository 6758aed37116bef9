import AnomalyModels
import EventArchive
import ModelKinds
import ModelRegistry

/// Why a model version was refused for serving; the old version keeps serving.
public struct ModelRefusal: Error, CustomStringConvertible, Sendable {
    public var name: String
    public var version: Int?
    public var reason: String
    public var description: String { "\(name)\(version.map { " v\($0)" } ?? ""): \(reason)" }
}

/// Loads registered versions through the table of model kinds, and checks
/// that they fit the stream they are asked to score.
public enum ModelLoading {
    /// Loads `path` (version `version` of `name`) and checks its features are fields of `spec`.
    public static func load(
        name: String, version: Int, path: String, spec: StreamSpec, archive: String? = nil, kinds: ModelKinds = .standard
    ) throws(ModelRefusal) -> ServedModel {
        let served: ServedModel
        do {
            let model = try kinds.load(path: path).model
            let history = archive.flatMap { root in
                model.warmUpSpan > 0
                    ? ServedModel.archiveHistory(root: root, stream: spec.stream, fields: model.featureNames, span: model.warmUpSpan)
                    : nil
            }
            served = ServedModel(name: name, version: version, model: model, history: history)
        } catch let error as ModelKindError {
            throw ModelRefusal(name: name, version: version, reason: "this Forewarn cannot serve it: \(error)")
        } catch {
            throw ModelRefusal(name: name, version: version, reason: "\(error)")
        }
        let missing = served.featureNames.filter { !spec.fields.contains($0) }
        guard missing.isEmpty else {
            throw ModelRefusal(
                name: name, version: version,
                reason: "it reads fields \(missing.joined(separator: ", ")) that stream '\(spec.stream)' does not have "
                    + "(its fields: \(spec.fields.joined(separator: ", ")))")
        }
        return served
    }
}
