import Foundation
import Testing

@testable import EventArchive

/// Issue 15: the decoder takes whatever arrives on Kafka. Tens of thousands of
/// mutated events (seeded, so a failure replays) must each come out exactly
/// once, as an event or as a rejection with a reason, the same alone as
/// amid others, with only finite values and valid times; and nothing crashes.
@Suite struct EventDecoderFuzzTests {
    static let spec = try! StreamSpec(stream: "meters", time: "ts", fields: ["kwh", "volts"], key: "meter", id: "reading_id")
    static let mutants = 20_000

    static let seeds: [String] = [
        #"{"ts":1767225600000,"meter":"m1","kwh":0.25,"volts":230.5,"reading_id":"r1"}"#,
        #"{"ts":"2026-01-01T00:05:00Z","meter":"m\u00e9","kwh":-1e-3,"volts":2.3E2,"reading_id":"r\ud83d\ude00"}"#,
        #"{"reading_id":"r3","volts":0,"kwh":12,"meter":"z\"q\\","ts":"2026-01-01T00:10:00.123+02:00","extra":[1,{"a":null}]}"#,
        #" { "ts" : 1767225900000 , "meter" : "m4" , "kwh" : 1.5 , "volts" : 229 , "reading_id" : "" } "#,
        #"{"ts":1767226200000,"meter":"m5","kwh":null,"volts":230,"reading_id":"r5"}"#,
    ]
    static let tokens = [
        "\"", "\\", "{", "}", "[", "]", ",", ":", "\\u", "\\ud800", "1e999", "-", "NaN", "true", "null", "0x1F", "\u{0}", "é",
    ]

    @Test func mutatedEventsAreDecodedOrRefusedOnceEachAloneAsInABatch() {
        var rng = Xoshiro256(seed: 15)
        let payloads = (0..<Self.mutants).map { _ in Self.mutate(Array(Self.seeds.randomElement(using: &rng)!.utf8), &rng) }
        let batch = Self.outcomes(payloads)
        #expect(batch.count == payloads.count, "every payload is an event or a rejection, once")
        var accepted = 0
        for (i, payload) in payloads.enumerated() {
            let alone = Self.outcomes([payload], firstOffset: Int64(i))
            #expect(alone == [batch[i]], "payload \(i) \(String(decoding: payload, as: UTF8.self).debugDescription)")
            if case .event = batch[i] { accepted += 1 }
        }
        print("EventDecoderFuzzTests: \(payloads.count) mutated events, \(accepted) decoded, \(payloads.count - accepted) refused")
        #expect(accepted > 0 && accepted < payloads.count)
    }

    @Test func theSeedsThemselvesDecode() {
        let out = Self.outcomes(Self.seeds.map { Array($0.utf8) })
        #expect(out.filter { if case .event = $0 { true } else { false } }.count == 4, "\(out)")
    }

    enum Outcome: Equatable {
        case event(time: Int64, series: String, id: String, values: [UInt64])
        case refused(String)
    }

    /// What the decoder made of each payload, in order (payload i at Kafka offset `firstOffset + i`, which an
    /// event without an id takes as its id); checks the invariants every event must hold.
    static func outcomes(_ payloads: [[UInt8]], firstOffset: Int64 = 0) -> [Outcome] {
        var decoder = EventDecoder(spec: spec, maxEventBytes: 4_096)
        for (i, p) in payloads.enumerated() {
            p.withUnsafeBytes { decoder.append($0, source: i, partition: 3, offset: firstOffset + Int64(i)) }
        }
        let d = decoder.take()
        var out = [Outcome?](repeating: nil, count: payloads.count)
        for (source, reason) in d.rejected {
            #expect(out[source] == nil && !reason.isEmpty)
            out[source] = .refused(reason)
        }
        let e = d.events
        for row in 0..<e.count {
            let source = Int((e.kafkaOffset?[row] ?? -1) - firstOffset)
            #expect(payloads.indices.contains(source) && out[source] == nil && e.kafkaPartition?[row] == 3)
            guard payloads.indices.contains(source) else { continue }
            let values = e.fields.map { $0[row] }
            #expect(values.allSatisfy { $0.isFinite || $0.isNaN }, "no infinity is taken as a reading")
            #expect(EventTime.validRange.contains(e.time[row]))
            let id = e.eventIDs?[row] ?? ""
            #expect(!id.isEmpty && id.utf8.count <= 4_096)
            out[source] = .event(time: e.time[row], series: e.series(at: row), id: id, values: values.map(\.bitPattern))
        }
        return out.compactMap { $0 }
    }

    /// One to three edits: a flipped bit, a random byte, a JSON token inserted, a cut, a run doubled.
    static func mutate(_ seed: [UInt8], _ rng: inout Xoshiro256) -> [UInt8] {
        var b = seed
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            let at = Int.random(in: 0...b.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0 where at < b.count: b[at] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
            case 1 where at < b.count: b[at] = UInt8.random(in: 0...255, using: &rng)
            case 2: b.insert(contentsOf: Array(tokens.randomElement(using: &rng)!.utf8), at: at)
            case 3: b.removeSubrange(at..<min(b.count, at + Int.random(in: 1...8, using: &rng)))
            case 4: b.removeSubrange(at...)
            default:
                let run = b[at..<min(b.count, at + Int.random(in: 1...40, using: &rng))]
                b.insert(contentsOf: Array(run), at: at)
            }
        }
        return b
    }
}
