import Evaluation
import Foundation
import Testing

@Suite struct LabelledSeriesTests {
    @Test func readsABenchmarkCSV() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let path = try folder.write("a.csv", "timestamp,m0,m1,label\n1000,1.5,2,0\n2000,,3,1\n3000,4,5,0\n")
        let s = try LabelledSeries.read(csv: path)
        #expect(s.name == "a" && s.fieldNames == ["m0", "m1"] && s.time == [1000, 2000, 3000])
        #expect(s.fields[0][0] == 1.5 && s.fields[0][1].isNaN && s.fields[1] == [2, 3, 5])
        #expect(s.labels == [false, true, false])
        let events = s.rows(1..<3).events
        #expect(events.count == 2 && events.time == [2000, 3000] && events.seriesNames == [""])
    }

    @Test func aTrainingFileHasNoLabels() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let s = try LabelledSeries.read(csv: try folder.write("t.csv", "timestamp,value\n1000,1\n2000,2\n"))
        #expect(s.labels == nil && s.count == 2)
    }

    static func error(_ text: String) throws -> DetectionDataError? {
        let folder = try TestFolder()
        defer { folder.remove() }
        let path = try folder.write("bad.csv", text)
        do {
            _ = try LabelledSeries.read(csv: path)
            return nil
        } catch {
            #expect(error.file == path)
            return error
        }
    }

    @Test func aMalformedCSVIsANamedError() throws {
        let notANumber = try #require(try Self.error("timestamp,value,label\n1000,1,0\n2000,abc,0\n"))
        #expect(notANumber.line == 3 && notANumber.reason.contains("'value' is not a number"))
        #expect(notANumber.description.hasSuffix("bad.csv:3: \(notANumber.reason)"))
        let cells = try #require(try Self.error("timestamp,value,label\n1000,1\n"))
        #expect(cells.line == 2 && cells.reason.contains("expected 3 cells"))
        let label = try #require(try Self.error("timestamp,value,label\n1000,1,2\n"))
        #expect(label.line == 2 && label.reason.contains("label must be 0 or 1"))
        let backwards = try #require(try Self.error("timestamp,value,label\n2000,1,0\n1000,1,0\n"))
        #expect(backwards.line == 3 && backwards.reason.contains("timestamps must increase"))
        let time = try #require(try Self.error("time,value\n1000,1\n"))
        #expect(time.line == 1 && time.reason.contains("'timestamp'"))
        let empty = try #require(try Self.error(""))
        #expect(empty.reason.contains("empty"))
        let noRows = try #require(try Self.error("timestamp,value,label\n"))
        #expect(noRows.reason == "no data rows")
    }
}
