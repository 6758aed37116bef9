import Foundation
import Testing

@testable import EventArchive

/// `time_format:` and `timezone:` in a stream spec: one reading of a time field for import and the scorer.
@Suite struct TimeFormatTests {
    static let t0: Int64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z

    static func spec(_ format: String, zone: String = "UTC") throws -> StreamSpec {
        try StreamSpec.parse(yaml: "stream: m\ntime: ts\nkey: k\nfields: [v]\ntime_format: \"\(format)\"\ntimezone: \(zone)\n")
    }

    static func read(_ text: String, _ spec: StreamSpec) -> FieldText.Time {
        Array(text.utf8).withUnsafeBufferPointer { TimeReader(spec: spec).read($0) }
    }

    static func ms(_ text: String, _ spec: StreamSpec) -> Int64? {
        if case .value(let v) = read(text, spec) { return v }
        return nil
    }

    @Test func eachFormatReadsItsOwnUnit() throws {
        #expect(Self.ms("1767225600", try Self.spec("epoch_s")) == Self.t0)
        #expect(Self.ms("1767225600.25", try Self.spec("epoch_s")) == Self.t0 + 250)
        #expect(Self.ms("1767225600000", try Self.spec("epoch_ms")) == Self.t0)
        #expect(Self.ms("1767225600000123", try Self.spec("epoch_us")) == Self.t0)
        #expect(Self.ms("2026-01-01T00:00:00Z", try Self.spec("rfc3339")) == Self.t0)
        #expect(Self.ms("1767225600000", try Self.spec("rfc3339")) == nil, "rfc3339 takes no numbers")
        #expect(Self.ms("2026-01-01T00:00:00Z", try Self.spec("epoch_s")) == nil, "epoch_s takes no text")
        #expect(Self.ms("01/01/2026 01:00:00", try Self.spec("%d/%m/%Y %H:%M:%S", zone: "Europe/Berlin")) == Self.t0, "CET is UTC+1")
        #expect(Self.ms("2026-07-01 02:00:00", try Self.spec("%Y-%m-%d %H:%M:%S", zone: "Europe/Berlin"))
            == Self.t0 + 181 * 86_400_000, "CEST is UTC+2")
        #expect(Self.ms("2026-01-01 00:00:00.5 +01:00", try Self.spec("%Y-%m-%d %H:%M:%S.%f %z", zone: "Asia/Tokyo"))
            == Self.t0 - 3_600_000 + 500, "an offset in the text wins over the zone")
        #expect(Self.ms("2026-01-01 00:00", try Self.spec("%Y-%m-%d %H:%M:%S")) == nil, "the text must match the whole pattern")
        if case .outOfRange = Self.read("-5", try Self.spec("epoch_s")) {} else { Issue.record("before 1970 is out of range") }
    }

    @Test func badFormatsAndZonesAreNamedWithTheirLine() {
        for (format, says) in [("%Y-%q", "%q is not supported"), ("%H:%M", "needs %Y, %m and %d"), ("%Y%m%d%", "lone %")] {
            #expect(throws: (any Error).self) { try Self.spec(format) }
            do { _ = try Self.spec(format) } catch { #expect("\(error)".contains(says) && "\(error)".contains(":5:"), "\(error)") }
        }
        do { _ = try Self.spec("auto", zone: "Mars/Olympus") } catch { #expect("\(error)".contains("Mars/Olympus") && "\(error)".contains(":6:")) }
    }

    @Test func theDefaultKeepsOldSpecsAndPartsAsTheyWere() throws {
        let plain = try StreamSpec(stream: "m", time: "ts", fields: ["v"], key: "k")
        #expect(plain.specHash == "\(String(format: "%016llx", FNV1aReference.hash("stream=m\ntime=ts\nkey=k\nid=\nfields=v")))")
        #expect(!StreamCatalog.text(of: plain).contains("time_format"))
        let seconds = try Self.spec("epoch_s", zone: "Europe/Berlin")
        #expect(seconds.specHash != plain.specHash)
        let again = try StreamSpec.parse(yaml: StreamCatalog.text(of: seconds))
        #expect(again == seconds && again.specHash == seconds.specHash, "stream.yaml keeps both keys")
    }

    @Test func importReadsDeclaredSecondsAndWarnsAboutSecondsReadAsMilliseconds() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("forewarn-times-\(UUID().uuidString).csv")
        try "ts,k,v\n1767225600,a,1\n1767225660,a,2\n".write(to: dir, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: dir) }
        var times: [Int64] = []
        let declared = try EventImporter.read(path: dir.path, format: .csv, spec: try Self.spec("epoch_s"), options: ImportOptions()) {
            times += $0.time
        }
        #expect(times == [Self.t0, Self.t0 + 60_000] && declared.warnings.isEmpty)
        let auto = try EventImporter.read(
            path: dir.path, format: .csv, spec: try StreamSpec(stream: "m", time: "ts", fields: ["v"], key: "k"), options: ImportOptions()
        ) { _ in }
        #expect(auto.rows == 2 && auto.warnings.count == 1)
        #expect(auto.warnings.first?.contains("2 times of field 'ts' read as epoch milliseconds fall before 1973-03-03") == true)
        #expect(auto.warnings.first?.contains("set time_format: epoch_s") == true, "\(auto.warnings)")
    }

    @Test func rowsOutOfOrderAndRepeatedTimesAreReported() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("forewarn-order-\(UUID().uuidString).csv")
        try "ts,k,v\n2026-01-01T00:10:00Z,a,1\n2026-01-01T00:05:00Z,a,2\n2026-01-01T00:05:00Z,b,3\n2026-01-01T00:10:00Z,a,4\n"
            .write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let report = try EventImporter.read(
            path: file.path, format: .csv, spec: try StreamSpec(stream: "m", time: "ts", fields: ["v"], key: "k"), options: ImportOptions()
        ) { _ in }
        #expect(report.rows == 4, "nothing is dropped")
        #expect(report.warnings.contains { $0.contains("1 rows come before an earlier row of their series") }, "\(report.warnings)")
        #expect(report.warnings.contains { $0.contains("1 rows repeat their series' latest time (the first: series 'a' at 2026-01-01T00:10:00.000Z)") },
            "\(report.warnings)")
    }

    @Test func theScorersDecoderReadsTheSameWay() throws {
        var decoder = EventDecoder(spec: try Self.spec("epoch_s"))
        let message = Array(#"{"ts": 1767225600, "k": "a", "v": 1.5}"#.utf8)
        message.withUnsafeBytes { decoder.append($0, source: 0, partition: 0, offset: 0) }
        let decoded = decoder.take()
        #expect(decoded.events.time == [Self.t0] && decoded.rejected.isEmpty, "\(decoded.rejected)")
    }
}

/// FNV-1a 64 as the spec hash has always used it, so the test does not depend on the code it checks.
enum FNV1aReference {
    static func hash(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }
}
