import AnomalyModels
import EventArchive
import Foundation
import ModelKinds

/// One registered model version, loaded, validated and ready to score a
/// stream: the kind's scoring adapter, named and versioned. Immutable; a
/// promotion loads a new one beside the old.
public struct ServedModel: Sendable {
    public let name: String
    public let version: Int
    public let model: any ScoringModel
    /// Reads the stream's recent events for a fresh state to warm up on; nil without an archive.
    let history: (@Sendable () -> EventBatch?)?

    public init(name: String, version: Int, model: any ScoringModel, history: (@Sendable () -> EventBatch?)? = nil) {
        self.name = name
        self.version = version
        self.model = model
        self.history = history
    }

    /// The stream fields the model reads, in its order.
    public var featureNames: [String] { model.featureNames }

    /// Fresh per-series state, warmed on the archive's recent events when the model wants some,
    /// so the first predictions after a start or a rebalance are as good as a long-running scorer's.
    public func makeState() -> ScoringState? {
        model.makeState(warmingUpOn: model.warmUpSpan > 0 ? history?() : nil)
    }

    public func score(_ events: EventBatch, columns: [Int], state: ScoringState?) -> PredictionColumns {
        model.score(events, columns: columns, state: state)
    }
}

extension ServedModel {
    /// The last `span` ms of the stream in the archive (ending at its newest part), as one batch of `fields`.
    static func archiveHistory(root: String, stream: String, fields: [String], span: Int64) -> (@Sendable () -> EventBatch?) {
        {
            guard let reader = try? ArchiveReader(root: URL(fileURLWithPath: root), stream: stream),
                let newest = try? reader.parts().parts.map(\.timeMax).max()
            else { return nil }
            var builder = ForecastColumnsBuilder(fieldNames: fields)
            _ = try? reader.read(from: newest - span, fields: fields) { batch in try builder.append(ForecastColumns(batch)) }
            return builder.columns.count > 0 ? EventBatch(builder.columns) : nil
        }
    }
}
