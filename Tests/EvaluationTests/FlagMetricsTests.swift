import Evaluation
import Testing

@Suite struct FlagMetricsTests {
    static func bools(_ text: String) -> [Bool] { text.map { $0 == "1" } }

    @Test func aHandMadeCase() {
        // rows:        0123456789ab
        let labels = Self.bools("011001000111")  // segments [1,3) [5,6) [9,12)
        let flags = Self.bools("101000011001")  // incidents [0,1) [2,3) [7,9) [11,12)
        let m = FlagMetrics(flags: flags, labels: labels)
        #expect(m.flaggedRows == 5 && m.labelledRows == 6)
        #expect(m.pointPrecision == 2.0 / 5)  // rows 2 and 11 of 0, 2, 7, 8, 11
        #expect(m.pointRecall == 2.0 / 6)
        #expect(m.segments == 3 && m.incidents == 4)
        #expect(m.eventRecall == 2.0 / 3)  // [1,3) through row 2, [9,12) through row 11; [5,6) missed
        #expect(m.eventPrecision == 2.0 / 4)  // [2,3) and [11,12) touch a label; [0,1) and [7,9) do not
    }

    @Test func silenceIsPrecisionZero() {
        let m = FlagMetrics(flags: Self.bools("0000"), labels: Self.bools("0110"))
        #expect(m.pointPrecision == 0 && m.pointRecall == 0 && m.eventPrecision == 0 && m.eventRecall == 0)
    }

    @Test func aFlagAnywhereInsideASegmentDetectsIt() {
        let m = FlagMetrics(flags: Self.bools("000010"), labels: Self.bools("011110"))
        #expect(m.eventRecall == 1 && m.eventPrecision == 1)
        #expect(m.pointRecall == 0.25 && m.pointPrecision == 1)
    }

    @Test func runs() {
        #expect(FlagMetrics.runs(Self.bools("1101110")) == [0..<2, 3..<6])
        #expect(FlagMetrics.runs(Self.bools("0011")) == [2..<4])
        #expect(FlagMetrics.runs([]) == [])
    }
}
