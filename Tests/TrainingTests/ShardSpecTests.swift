import EventArchive
import Testing

@testable import Training

/// Which shard a series belongs to: stable across processes and releases, every series in exactly one.
@Suite struct ShardSpecTests {
    @Test func aKeysShardIsFNV1aOfItsBytesAndNeverChanges() {
        #expect(ShardSpec.shard(of: "a", count: 4) == 0)  // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c
        #expect(ShardSpec.shard(of: "m0001", count: 4) == 3)
        #expect(ShardSpec.shard(of: "m0002", count: 4) == 2)
        #expect(ShardSpec.shard(of: "meter-42", count: 7) == 5)
        #expect(ShardSpec.shard(of: "Zürich", count: 7) == 1)
    }

    @Test(arguments: [1, 2, 3, 7])
    func everySeriesFallsInExactlyOneShard(count: Int) {
        let keys = (0..<500).map { String(format: "m%04d", $0) }
        let batch = EventBatch(
            fieldNames: ["v"], time: keys.indices.map(Int64.init), seriesCodes: keys.indices.map(Int32.init),
            seriesNames: keys, fields: [keys.indices.map(Double.init)])
        var seen: [String] = []
        for i in 0..<count {
            let shard = ShardSpec(index: i, count: count)
            let part = batch.keeping(series: shard.owns)
            #expect(part.seriesNames.allSatisfy(shard.owns))
            seen += part.seriesCodes.map { part.seriesNames[Int($0)] }
        }
        #expect(seen.sorted() == keys)
    }

    @Test func shardSpecsParseOrSayWhatIsWrong() {
        #expect((try? ShardSpec.parse("2/3")) == ShardSpec(index: 2, count: 3))
        for (bad, message) in [("3/3", "below the count"), ("-1/2", "0 or more"), ("1", "INDEX/COUNT"), ("0/0", "1...4096")] {
            #expect(throws: TrainingError.self) { try ShardSpec.parse(bad) }
            #expect(((try? ShardSpec.parse(bad)) == nil))
            do { _ = try ShardSpec.parse(bad) } catch { #expect("\(error)".contains(message), "\(bad): \(error)") }
        }
    }
}
