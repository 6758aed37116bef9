import EventArchive
import Foundation
import Kafka
import ModelKinds

/// Encodes predictions as the JSON objects documented in docs/formats.md
/// ("Predictions on Kafka"), one per event and model, straight into the flat
/// buffers of a `KafkaProducerBatch` (keyed by series): no intermediate objects,
/// no per-event allocation.
public struct PredictionEncoder {
    public init() {}

    /// What every model's prediction of an event repeats (event id, series, time), encoded once per batch.
    public struct EventFields: Sendable {
        var bytes: [UInt8] = []
        var ends: [Int] = []
    }

    /// Encodes the event-only part of the predictions of `events`, to share between the models.
    public func eventFields(_ events: EventBatch) -> EventFields {
        var out = EventFields()
        out.bytes.reserveCapacity(events.count * 80)
        out.ends.reserveCapacity(events.count)
        let names = events.seriesNames.map { name in
            var q: [UInt8] = []
            quote(name, into: &q)
            return q
        }
        for i in 0..<events.count {
            quote(events.eventIDs?[i] ?? "", into: &out.bytes)
            out.bytes += Self.seriesKey
            out.bytes += names[Int(events.seriesCodes[i])]
            out.bytes += Self.timeKey
            EventTime.append(events.time[i], to: &out.bytes)
            out.bytes += Self.scoreKey
            out.ends.append(out.bytes.count)
        }
        return out
    }

    /// Appends one prediction per event of `events` made by `model` (version `version`).
    public func encode(
        _ events: EventBatch, stream: String, model: String, version: Int, predictions p: PredictionColumns,
        into out: inout KafkaProducerBatch
    ) {
        encode(events, stream: stream, model: model, version: version, predictions: p, shared: eventFields(events), into: &out)
    }

    /// `encode` with the event-only part already encoded by `eventFields(_:)` for the same events.
    public func encode(
        _ events: EventBatch, stream: String, model: String, version: Int, predictions p: PredictionColumns,
        shared: EventFields, into out: inout KafkaProducerBatch
    ) {
        out.values.reserveCapacity(out.values.count + shared.bytes.count + events.count * (p.forecast == nil ? 120 : 190))
        out.valueEnds.reserveCapacity(out.valueEnds.count + events.count)
        var head = Array("{\"stream\":".utf8)
        quote(stream, into: &head)
        head += Array(",\"model\":".utf8)
        quote(model, into: &head)
        head += Array(",\"version\":\(version),\"event_id\":".utf8)
        let rawNames = events.seriesNames.map { Array($0.utf8) }
        let fieldNames = p.explanation.map { e in
            e.fieldNames.map { name in
                var q = Self.fieldKey
                quote(name, into: &q)
                return q
            }
        }
        let driverNames = p.drivers.map { d in
            d.names.map { name in
                var q: [UInt8] = []
                quote(name, into: &q)
                return q
            }
        }
        shared.bytes.withUnsafeBufferPointer { fields in
            for i in 0..<events.count {
                out.values += head
                out.values.append(contentsOf: UnsafeBufferPointer(rebasing: fields[(i == 0 ? 0 : shared.ends[i - 1])..<shared.ends[i]]))
                unitInterval(p.score[i], into: &out.values)
                out.values += p.anomaly[i] ? Self.anomalyTrue : Self.anomalyFalse
                if let starts = p.incidentStart, starts[i] != PredictionColumns.noIncident {
                    incident(events.seriesNames[Int(events.seriesCodes[i])], start: starts[i], opens: p.incidentOpens?[i] ?? false,
                        peak: p.incidentPeak?[i] ?? .nan, into: &out.values)
                }
                if let f = p.forecast, let lo = p.lower, let hi = p.upper {
                    out.values += Self.forecastKey
                    number(f[i], into: &out.values)
                    out.values += Self.lowerKey
                    number(lo[i], into: &out.values)
                    out.values += Self.upperKey
                    number(hi[i], into: &out.values)
                }
                if let e = p.explanation, let names = fieldNames, e.field[i] >= 0 {
                    out.values += names[Int(e.field[i])]
                    out.values += Self.actualKey
                    number(e.actual[i], into: &out.values)
                    out.values += Self.sigmasKey
                    number((e.sigmas[i] * 100).rounded() / 100, into: &out.values)
                }
                if let d = p.drivers, let names = driverNames, d.index[i * d.top] >= 0 {
                    out.values += Self.explainKey
                    for k in 0..<d.top where d.index[i * d.top + k] >= 0 {
                        if k > 0 { out.values.append(44) }
                        out.values += names[Int(d.index[i * d.top + k])]
                        out.values.append(58)
                        number((d.share[i * d.top + k] * 100).rounded() / 100, into: &out.values)
                    }
                    out.values.append(125)
                }
                out.values.append(125)
                out.valueEnds.append(out.values.count)
                out.keys += rawNames[Int(events.seriesCodes[i])]
                out.keyEnds.append(out.keys.count)
            }
        }
    }

    private static let seriesKey = Array(",\"series\":".utf8), timeKey = Array(",\"time\":\"".utf8)
    private static let scoreKey = Array("\",\"score\":".utf8)
    private static let anomalyTrue = Array(",\"anomaly\":true".utf8), anomalyFalse = Array(",\"anomaly\":false".utf8)
    private static let forecastKey = Array(",\"forecast\":".utf8), lowerKey = Array(",\"lower\":".utf8)
    private static let upperKey = Array(",\"upper\":".utf8)
    private static let fieldKey = Array(",\"field\":".utf8), actualKey = Array(",\"actual\":".utf8)
    private static let sigmasKey = Array(",\"sigmas\":".utf8)
    private static let explainKey = Array(",\"explain\":{".utf8)

    /// `,"incident":"<series>@<start ms>","incident_peak":s` and, on its first event, `,"incident_opens":true`.
    private func incident(_ series: String, start: Int64, opens: Bool, peak: Double, into out: inout [UInt8]) {
        out += Self.incidentKey
        quote("\(series)@\(start)", into: &out)
        out += Self.incidentPeakKey
        unitInterval(peak, into: &out)
        if opens { out += Self.incidentOpens }
    }

    private static let incidentKey = Array(",\"incident\":".utf8), incidentPeakKey = Array(",\"incident_peak\":".utf8)
    private static let incidentOpens = Array(",\"incident_opens\":true".utf8)

    /// A score in [0, 1] with six decimals, written digit by digit (null when NaN).
    private func unitInterval(_ s: Double, into out: inout [UInt8]) {
        guard s.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        var micros = Int((min(max(s, 0), 1) * 1_000_000).rounded())
        // "d.dddddd" as eight bytes in one append.
        var text: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (micros >= 1_000_000 ? 49 : 48, 46, 0, 0, 0, 0, 0, 0)
        micros %= 1_000_000
        withUnsafeMutableBytes(of: &text) { b in
            for k in stride(from: 7, through: 2, by: -1) {
                b[k] = UInt8(48 + micros % 10)
                micros /= 10
            }
        }
        withUnsafeBytes(of: text) { out.append(contentsOf: $0) }
    }

    /// A JSON number, or null for NaN and infinities (JSON has no such numbers).
    private func number(_ v: Double, into out: inout [UInt8]) {
        guard v.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        var text = v.description
        text.withUTF8 { out.append(contentsOf: $0) }
    }

    /// A JSON string literal with the escapes RFC 8259 requires; one copy when nothing needs escaping.
    func quote(_ s: String, into out: inout [UInt8]) {
        var s = s
        out.append(34)
        s.withUTF8 { bytes in
            guard bytes.contains(where: { $0 == 34 || $0 == 92 || $0 < 32 }) else {
                out.append(contentsOf: bytes)
                return
            }
            for byte in bytes {
                switch byte {
                case 34: out += [92, 34]
                case 92: out += [92, 92]
                case 0..<32: out += Array(String(format: "\\u%04x", byte).utf8)
                default: out.append(byte)
                }
            }
        }
        out.append(34)
    }
}

extension PredictionEncoder {
    /// `s` as a JSON string literal, quotes included, escaped as predictions escape it.
    static func quoted(_ s: String) -> String {
        var bytes: [UInt8] = []
        PredictionEncoder().quote(s, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
