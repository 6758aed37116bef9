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
    /// Reads the stream's recent events for a fresh state to warm up on, and what it could not read (damaged
    /// archive parts, named); nil without an archive.
    let history: (@Sendable () -> (events: EventBatch?, problems: [String]))?

    public init(
        name: String, version: Int, model: any ScoringModel,
        history: (@Sendable () -> (events: EventBatch?, problems: [String]))? = nil
    ) {
        self.name = name
        self.version = version
        self.model = model
        self.history = history
    }

    /// The stream fields the model reads, in its order.
    public var featureNames: [String] { model.featureNames }

    /// Fresh per-series state, warmed on the archive's recent events when the model wants some,
    /// so the first predictions after a start or a rebalance are as good as a long-running scorer's.
    /// What the warm-up could not read is appended to `problems`, one line per damaged part: the state is then
    /// warmed on the rest, as `train` fits on the rest, and the caller says so.
    public func makeState(problems: inout [String]) -> ScoringState? {
        guard model.warmUpSpan > 0, let read = history?() else { return model.makeState(warmingUpOn: nil) }
        problems += read.problems
        return model.makeState(warmingUpOn: read.events)
    }

    public func makeState() -> ScoringState? {
        var ignored: [String] = []
        return makeState(problems: &ignored)
    }

    public func score(_ events: EventBatch, columns: [Int], state: ScoringState?) -> PredictionColumns {
        model.score(events, columns: columns, state: state)
    }
}

extension ServedModel {
    /// The last `span` ms of the stream in the archive (ending at its newest part), as one batch of `fields`.
    /// A part the reader skips (damaged, or without a field) is named in `problems`; an archive that cannot be
    /// listed at all gives no history and says why.
    static func archiveHistory(
        root: String, stream: String, fields: [String], span: Int64
    ) -> (@Sendable () -> (events: EventBatch?, problems: [String])) {
        {
            let reader: ArchiveReader, listing: (parts: [ArchivePart], problems: [ArchiveProblem])
            do {
                reader = try ArchiveReader(root: URL(fileURLWithPath: root), stream: stream)
                listing = try reader.parts()
            } catch { return (nil, ["archive \(root), stream '\(stream)': \(error)"]) }
            guard let newest = listing.parts.map(\.timeMax).max() else { return (nil, listing.problems.map(\.description)) }
            var builder = ForecastColumnsBuilder(fieldNames: fields)
            do {
                let report = try reader.read(from: newest - span, fields: fields) { batch in try builder.append(ForecastColumns(batch)) }
                return (builder.columns.count > 0 ? EventBatch(builder.columns) : nil, report.problems.map(\.description))
            } catch { return (nil, ["archive \(root), stream '\(stream)': \(error)"]) }
        }
    }
}
