@testable import Kafka
import Testing

/// librdkafka's `OFFSET` warning, as its log callback gets it, becomes a `KafkaOffsetReset`.
@Suite struct KafkaOffsetResetTests {
    @Test func theWarningIsParsed() {
        let line = "[thrd:main]: meters [3]: offset reset (at offset 1000, broker 1) to cached BEGINNING offset 8220: "
            + "fetch failed due to requested offset not available on the broker: Broker: Offset out of range"
        let reset = KafkaOffsetReset(logLine: line)
        #expect(reset?.topic == "meters" && reset?.partition == 3 && reset?.from == 1000)
        #expect(reset?.to == "cached BEGINNING offset 8220")
        #expect(reset?.reason.hasSuffix("Broker: Offset out of range") == true)
    }

    @Test func withoutThreadNameOrBrokerAndASymbolicOffset() {
        let reset = KafkaOffsetReset(logLine: "a.b-c_d [0]: offset reset (at offset INVALID) to BEGINNING: no previously committed offset: Local: No offset stored")
        #expect(reset?.topic == "a.b-c_d" && reset?.from == nil && reset?.to == "BEGINNING")
    }

    @Test func otherOffsetLinesAreNot() {
        #expect(KafkaOffsetReset(logLine: "[thrd:main]: meters [0]: stored offset 5 committed") == nil)
    }
}
