import EventArchive
import Foundation

/// Encodes predictions as the JSON objects documented in docs/formats.md
/// ("Predictions on Kafka"), one per event and model, straight into one byte
/// buffer per batch: no intermediate objects, no per-event allocation.
public struct PredictionEncoder {
    /// The encoded predictions of one batch: `bytes[ends[i-1]..<ends[i]]` is
    /// prediction i, keyed by `keyEnds` slices of `keys` (the series).
    public struct Encoded: Sendable {
        public var bytes: [UInt8] = []
        public var ends: [Int] = []
        public var keys: [UInt8] = []
        public var keyEnds: [Int] = []
        public var count: Int { ends.count }

        public func value(_ i: Int) -> ArraySlice<UInt8> { bytes[(i == 0 ? 0 : ends[i - 1])..<ends[i]] }
        public func key(_ i: Int) -> ArraySlice<UInt8> { keys[(i == 0 ? 0 : keyEnds[i - 1])..<keyEnds[i]] }
    }

    public init() {}

    /// Appends one prediction per event of `events` made by `model` (version `version`).
    public func encode(
        _ events: EventBatch, stream: String, model: String, version: Int, predictions p: PredictionColumns,
        into out: inout Encoded
    ) {
        out.bytes.reserveCapacity(out.bytes.count + events.count * 200)
        var head = Array("{\"stream\":".utf8)
        quote(stream, into: &head)
        head += Array(",\"model\":".utf8)
        quote(model, into: &head)
        head += Array(",\"version\":\(version),\"event_id\":".utf8)
        let names = events.seriesNames.map { name in
            var q: [UInt8] = []
            quote(name, into: &q)
            return q
        }
        let rawNames = events.seriesNames.map { Array($0.utf8) }
        for i in 0..<events.count {
            let code = Int(events.seriesCodes[i])
            out.bytes += head
            quote(events.eventIDs?[i] ?? "", into: &out.bytes)
            out.bytes += Self.seriesKey
            out.bytes += names[code]
            out.bytes += Self.timeKey
            EventTime.append(events.time[i], to: &out.bytes)
            out.bytes += Self.scoreKey
            unitInterval(p.score[i], into: &out.bytes)
            out.bytes += p.anomaly[i] ? Self.anomalyTrue : Self.anomalyFalse
            if let f = p.forecast, let lo = p.lower, let hi = p.upper {
                out.bytes += Self.forecastKey
                number(f[i], into: &out.bytes)
                out.bytes += Self.lowerKey
                number(lo[i], into: &out.bytes)
                out.bytes += Self.upperKey
                number(hi[i], into: &out.bytes)
            }
            out.bytes.append(125)
            out.ends.append(out.bytes.count)
            out.keys += rawNames[code]
            out.keyEnds.append(out.keys.count)
        }
    }

    private static let seriesKey = Array(",\"series\":".utf8), timeKey = Array(",\"time\":\"".utf8)
    private static let scoreKey = Array("\",\"score\":".utf8)
    private static let anomalyTrue = Array(",\"anomaly\":true".utf8), anomalyFalse = Array(",\"anomaly\":false".utf8)
    private static let forecastKey = Array(",\"forecast\":".utf8), lowerKey = Array(",\"lower\":".utf8)
    private static let upperKey = Array(",\"upper\":".utf8)

    /// A score in [0, 1] with six decimals, written digit by digit (null when NaN).
    private func unitInterval(_ s: Double, into out: inout [UInt8]) {
        guard s.isFinite else {
            out += Array("null".utf8)
            return
        }
        var micros = Int((min(max(s, 0), 1) * 1_000_000).rounded())
        out.append(micros >= 1_000_000 ? 49 : 48)
        out.append(46)
        micros %= 1_000_000
        var divisor = 100_000
        while divisor > 0 {
            out.append(UInt8(48 + micros / divisor))
            micros %= divisor
            divisor /= 10
        }
    }

    /// A JSON number, or null for NaN and infinities (JSON has no such numbers).
    private func number(_ v: Double, into out: inout [UInt8]) {
        guard v.isFinite else {
            out += Array("null".utf8)
            return
        }
        out += Array(v.description.utf8)
    }

    /// A JSON string literal with the escapes RFC 8259 requires.
    private func quote(_ s: String, into out: inout [UInt8]) {
        out.append(34)
        for byte in s.utf8 {
            switch byte {
            case 34: out += [92, 34]
            case 92: out += [92, 92]
            case 0..<32: out += Array(String(format: "\\u%04x", byte).utf8)
            default: out.append(byte)
            }
        }
        out.append(34)
    }
}
