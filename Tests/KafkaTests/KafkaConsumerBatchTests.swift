import Kafka
import Testing

@Suite struct KafkaConsumerBatchTests {
    private let messages = [
        KafkaConsumerMessage(topic: "a", partition: 1, offset: 10, key: Array("k1".utf8), value: Array("one".utf8), timestamp: 5, headers: []),
        KafkaConsumerMessage(topic: "b", partition: 0, offset: 3, key: nil, value: [], timestamp: nil,
            headers: [KafkaHeader(name: "h", string: "v"), KafkaHeader(name: "empty", value: nil)]),
        KafkaConsumerMessage(topic: "a", partition: 1, offset: 12, key: [], value: Array("three".utf8), timestamp: 2, headers: []),
        KafkaConsumerMessage(topic: "a", partition: 0, offset: 7, key: Array("k4".utf8), value: [0, 255, 0], timestamp: 9, headers: []),
    ]

    @Test func columnsGiveBackEveryMessageExactly() {
        let batch = KafkaConsumerBatch(messages: messages)
        #expect(batch.count == 4)
        #expect(batch.messages == messages)
        #expect(batch.topics == ["a", "b"])
        #expect((0..<4).map(batch.topicIndex(at:)) == [0, 1, 0, 0])
        #expect(batch.key(at: 1) == nil && batch.key(at: 2) == [])
        #expect(batch.withValue(at: 3) { Array($0) } == [0, 255, 0])
        #expect(batch.withValue(at: 1) { $0.count } == 0)
        #expect(batch.headers(at: 1).count == 2 && batch.headers(at: 0).isEmpty)
        #expect(batch.oldestTimestamp == 2)
    }

    @Test func commitOffsetsArePerTopicPartitionPastTheHighestOffset() {
        let offsets = KafkaConsumerBatch(messages: messages).commitOffsets
        #expect(
            offsets == [
                KafkaPartitionOffset(topic: "a", partition: 0, offset: 8),
                KafkaPartitionOffset(topic: "a", partition: 1, offset: 13),
                KafkaPartitionOffset(topic: "b", partition: 0, offset: 4),
            ])
    }

    @Test func anEmptyBatchHasNothingToCommit() {
        let batch = KafkaConsumerBatch(messages: [])
        #expect(batch.isEmpty && batch.commitOffsets.isEmpty && batch.oldestTimestamp == nil)
    }
}
