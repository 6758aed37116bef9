import EventArchive
import Foundation
import Testing

/// The scorer's decoder refuses, with a reason for the dead letter, what it would otherwise have to guess.
@Suite struct EventDecoderTests {
    static let spec = try! StreamSpec(stream: "meters", time: "ts", fields: ["kwh"], key: "meter", id: "reading_id")

    /// Decodes each payload (offset = its index) and returns the ids of the good ones and the reasons of the bad ones.
    static func decode(_ payloads: [[UInt8]]) -> (ids: [String], rejected: [Int: String]) {
        var decoder = EventDecoder(spec: spec)
        for (i, p) in payloads.enumerated() {
            p.withUnsafeBytes { decoder.append($0, source: i, partition: 0, offset: Int64(i)) }
        }
        let out = decoder.take()
        return (out.events.eventIDs ?? [], Dictionary(uniqueKeysWithValues: out.rejected.map { ($0.source, $0.reason) }))
    }

    static func event(ts: String = "1767225600000", meter: String = #""m1""#, id: String) -> [UInt8] {
        Array(#"{"ts":\#(ts),"meter":\#(meter),"kwh":0.3,"reading_id":\#(id)}"#.utf8)
    }

    @Test func idsThatDifferOnlyInBytesThatAreNotUTF8AreRefusedNotMerged() {
        var a = Self.event(id: #""r?1""#), b = Self.event(id: #""r?1""#), key = Self.event(meter: #""m?""#, id: #""r3""#)
        a[a.firstIndex(of: UInt8(ascii: "?"))!] = 0xFF
        b[b.firstIndex(of: UInt8(ascii: "?"))!] = 0xFE
        key[key.firstIndex(of: UInt8(ascii: "?"))!] = 0xC3  // a truncated two-byte sequence
        let (ids, rejected) = Self.decode([a, b, key, Self.event(id: #""r4""#)])
        #expect(ids == ["r4"])
        #expect(rejected == [
            0: "field 'reading_id' is not valid UTF-8", 1: "field 'reading_id' is not valid UTF-8", 2: "field 'meter' is not valid UTF-8",
        ])
    }

    @Test func aBooleanOrNumberIdADateOnlyTimeAndALoneSurrogateAreRefused() {
        let (ids, rejected) = Self.decode([
            Self.event(id: "true"), Self.event(id: "17"), Self.event(ts: #""2026-01-02""#, id: #""r2""#),
            Self.event(id: #""r\ud800""#), Self.event(id: #""r\ud83d\ude00""#), Self.event(meter: "7", id: #""r5""#),
            Self.event(meter: "\"\(String(repeating: "m", count: 5_000))\"", id: #""r6""#),
        ])
        #expect(ids == ["r😀", "r5"], "a surrogate pair is one scalar; a numeric key is kept as written")
        #expect(rejected[0] == "field 'reading_id' must be a string, not a boolean: 'true'")
        #expect(rejected[1] == "field 'reading_id' must be a string, not a number: '17'")
        #expect(rejected[2]?.hasPrefix("field 'ts' is a date without a time of day: '2026-01-02'") == true, "\(rejected[2] ?? "")")
        #expect(rejected[3] == "field 'reading_id' is not valid UTF-8 (an escaped lone surrogate)")
        #expect(rejected[6] == "field 'meter' is longer than 4096 bytes")
    }
}
