import Basics
import Testing

@Suite struct TimeSpanTests {
    @Test(arguments: [
        ("5m", 300_000 as Int64?), ("30s", 30_000), ("1h", 3_600_000), ("1d", 86_400_000), ("7d", 604_800_000),
        ("250ms", 250), ("1h30m", 5_400_000), ("2w", 1_209_600_000), (" 10s ", 10_000), ("90s", 90_000),
        ("1d12h", 129_600_000), ("1m1ms", 60_001), ("0s", 0),
        ("", nil), ("5", nil), ("m", nil), ("5x", nil), ("-5m", nil), ("1.5h", nil), ("99999999999999999999d", nil),
        ("1d2", nil), ("1h 30m", nil), ("5M", nil), ("15300000000w", nil), ("15250000000w", 9_223_200_000_000_000_000), ("9223372036854775807ms1ms", nil),
    ])
    func theGrammar(text: String, ms: Int64?) {
        #expect(TimeSpan(text)?.milliseconds == ms, "\(text)")
    }

    @Test func errorsSayWhy() {
        func reason(_ text: String) -> String? {
            do { _ = try TimeSpan(parsing: text); return nil } catch { return error.reason }
        }
        #expect(reason("5") == "a bare number has no unit")
        #expect(reason("1d2") == "its last number has no unit")
        #expect(reason("5x") == "unknown unit 'x'")
        #expect(reason("m") == "'m' needs a number before it")
        #expect(reason("-5m") == "unexpected '-'")
        #expect(reason("99999999999999999999d") == "too large")
        #expect(reason("") == "it is empty")
        do {
            _ = try TimeSpan(parsing: "7x")
            Issue.record("7x was accepted")
        } catch {
            #expect(error.description.hasPrefix("'7x' is not a duration (unknown unit 'x'): ") && error.description.contains("1h30m"))
        }
    }

    @Test(arguments: [
        (0 as Int64, "0ms"), (250, "250ms"), (90_000, "1m30s"), (5_400_000, "1h30m"), (86_400_000, "1d"),
        (604_800_000, "1w"), (694_861_001, "1w1d1h1m1s1ms"), (-3_600_000, "-1h"),
    ])
    func descriptionIsTheGrammar(ms: Int64, text: String) {
        #expect(TimeSpan(milliseconds: ms).description == text)
        if ms >= 0 { #expect(TimeSpan(text)?.milliseconds == ms, "round trip of \(text)") }
    }

    @Test func extremesDescribeAndRoundTrip() {
        let max = TimeSpan(milliseconds: .max)
        #expect(TimeSpan(max.description) == max)
        #expect(TimeSpan(milliseconds: .min).description.hasPrefix("-"))
    }

    @Test func conversions() {
        #expect(TimeSpan(milliseconds: 1_500).duration == .milliseconds(1_500))
        #expect(TimeSpan(milliseconds: 1_500).seconds == 1.5)
        #expect(TimeSpan.minutes(5) == TimeSpan("5m") && TimeSpan.hours(1) < TimeSpan.days(1))
        #expect(Duration.milliseconds(2_250).inSeconds == 2.25)
        #expect((Duration.seconds(3) + .nanoseconds(500)).inSeconds == 3.0000005)
    }
}
