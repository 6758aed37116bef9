import EventArchive
import Foundation
import Kafka
import ModelKinds

/// Turns consumed messages into predictions and dead letters: decode by the
/// input's stream spec into columns, score with every model of that stream in
/// one pass each, encode. Synchronous and owned by the one pipeline task,
/// which also owns the models' per-series state.
public final class BatchScorer {
    private let config: ServeConfig
    private var decoders: [String: EventDecoder]
    private var states: [String: (version: Int, state: ScoringState?)] = [:]
    private var incidents: [String: IncidentTracker] = [:]
    private let encoder = PredictionEncoder()
    /// Where forecasters' state is published after each batch, for `/forecast`.
    private let live: LiveForecasts?
    /// Where incidents, versions and a watched series go after each batch, for the console page.
    private let console: LiveConsole?

    public init(config: ServeConfig, live: LiveForecasts? = nil, console: LiveConsole? = nil) {
        self.config = config
        self.live = live
        self.console = console
        decoders = Dictionary(config.inputs.map { ($0.topic, EventDecoder(spec: $0.spec)) }, uniquingKeysWith: { a, _ in a })
    }

    /// Forgets per-series state (after partitions were lost or revoked).
    public func resetState() {
        states.removeAll()
        incidents.removeAll()
        live?.clear()
        console?.clear()
    }

    public func score(_ batch: KafkaConsumerBatch, models: ModelSet) -> ScoredBatch {
        var out = ScoredBatch()
        out.predictionMessages.topic = config.outputTopic
        out.offsets = batch.commitOffsets
        out.eventsIn = batch.count
        out.oldestTimestamp = batch.oldestTimestamp
        var byTopic = [[Int]](repeating: [], count: batch.topics.count)
        for i in 0..<batch.count { byTopic[batch.topicIndex(at: i)].append(i) }
        for input in config.inputs {
            guard let topic = batch.topics.firstIndex(of: input.topic), var decoder = decoders.removeValue(forKey: input.topic)
            else { continue }
            for i in byTopic[topic] {
                batch.withValue(at: i) {
                    decoder.append($0, source: i, partition: batch.partition(at: i), offset: batch.offset(at: i))
                }
            }
            let decoded = decoder.take()
            decoders[input.topic] = decoder
            for (source, reason) in decoded.rejected { out.deadLetterMessages.append(deadLetter(batch, source, reason)) }
            out.deadLetters += decoded.rejected.count
            guard !decoded.events.isEmpty else { continue }
            out.events[input.spec.stream] = decoded.events
            score(decoded.events, stream: input.spec.stream, models: models, into: &out)
        }
        return out
    }

    private func score(_ events: EventBatch, stream: String, models: ModelSet, into out: inout ScoredBatch) {
        let shared = encoder.eventFields(events)
        for entry in models.entries where entry.ref.stream == stream {
            let model = entry.model
            let columns = model.featureNames.map { name in events.fieldNames.firstIndex(of: name) ?? 0 }
            if states[model.name]?.version != model.version {
                var problems: [String] = []
                states[model.name] = (model.version, model.makeState(problems: &problems))
                out.warmUpProblems += problems.map { "\(model.name) v\(model.version): \($0)" }
            }
            var p = model.score(events, columns: columns, state: states[model.name]?.state)
            if let live, let forecaster = states[model.name]?.state as? ForecastState {
                live.publish(model: model.name, version: model.version, scorer: forecaster.snapshot)
            }
            incidents[model.name, default: IncidentTracker()].mark(events, &p)
            let flagged = p.anomaly.reduce(0) { $0 + ($1 ? 1 : 0) }
            console?.scored(
                model: model.name, version: model.version, fields: model.featureNames, columns: columns, events: events, p,
                flagged: flagged)
            let before = out.predictionMessages.count
            encoder.encode(events, stream: stream, model: model.name, version: model.version, predictions: p, shared: shared, into: &out.predictionMessages)
            out.predictions.append(ModelPredictions(stream: stream, model: model.name, version: model.version, columns: p))
            out.anomalies += flagged
            let counts = out.perModel[model.name] ?? (0, 0)
            out.perModel[model.name] = (counts.predictions + out.predictionMessages.count - before, counts.anomalies + flagged)
        }
        out.predictionsOut = out.predictionMessages.count
    }

    private func deadLetter(_ batch: KafkaConsumerBatch, _ i: Int, _ reason: String) -> KafkaProducerMessage {
        DeadLetter.message(
            to: config.deadLetterTopic, key: batch.key(at: i), value: batch.value(at: i), reason: reason, topic: batch.topic(at: i),
            partition: batch.partition(at: i), offset: batch.offset(at: i))
    }
}
