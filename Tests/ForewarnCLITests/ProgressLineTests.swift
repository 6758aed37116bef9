import Basics
import Testing

@testable import forewarn

/// The progress bar's text, from the numbers alone (the terminal itself: ProgressCLITests).
struct ProgressLineTests {
    @Test func barFillsByTheFractionRoundedDown() {
        #expect(ProgressLine.bar(0, width: 10) == "[----------]")
        #expect(ProgressLine.bar(0.41, width: 20) == "[########------------]")
        #expect(ProgressLine.bar(0.999, width: 10) == "[#########-]")
        #expect(ProgressLine.bar(1, width: 10) == "[##########]")
        #expect(ProgressLine.bar(1.5, width: 4) == "[####]", "more done than planned stays a full bar")
    }

    @Test func percentIsWholeRoundedDownAndPadded() {
        #expect(ProgressLine.percent(0) == "  0%")
        #expect(ProgressLine.percent(0.416) == " 41%")
        #expect(ProgressLine.percent(0.9999) == " 99%", "100% only when done")
        #expect(ProgressLine.percent(1) == "100%")
    }

    @Test func countsKeepThreeFigures() {
        #expect(ProgressLine.count(950, .rows) == "950")
        #expect(ProgressLine.count(1_234, .rows) == "1.2k")
        #expect(ProgressLine.count(45_600, .rows) == "46k")
        #expect(ProgressLine.count(1_234_567, .rows) == "1.2M")
        #expect(ProgressLine.count(2_900_000, .rows) == "2.9M")
        #expect(ProgressLine.count(290_000_000, .rows) == "290M")
        #expect(ProgressLine.count(999_999, .rows) == "1.0M", "no 1000k")
        #expect(ProgressLine.count(512, .bytes) == "512 B")
        #expect(ProgressLine.count(1_200_000, .bytes) == "1.2 MB")
        #expect(ProgressLine.amount(1_200_000, .rows) == "1.2M rows")
        #expect(ProgressLine.amount(3_500_000_000, .bytes) == "3.5 GB")
    }

    @Test func durationsReadAsAPersonWouldSayThem() {
        #expect(ProgressLine.duration(3.14) == "3.1 s")
        #expect(ProgressLine.duration(42.4) == "42 s")
        #expect(ProgressLine.duration(125) == "2 min 05 s")
        #expect(ProgressLine.duration(3720) == "1 h 02 min")
    }

    @Test func timeLeftIsTheRateSoFarCarriedOver() {
        #expect(ProgressLine.remaining(done: 0, total: 100, elapsed: 5) == nil, "no guess before anything is done")
        #expect(ProgressLine.remaining(done: 25, total: 100, elapsed: 5) == 15)
        #expect(ProgressLine.remaining(done: 120, total: 100, elapsed: 5) == 0)
    }

    @Test func aLineWithATotalHasBarPercentCountsAndTimes() {
        let s = ProgressLine.Snapshot(task: "reading meters", done: 1_200_000, total: 2_900_000, unit: .rows, elapsed: 3.1)
        let line = ProgressLine.render(s, width: 120)
        #expect(line == "reading meters  [########------------]   41%  1.2M/2.9M rows  3.1 s elapsed, 4.4 s left")
    }

    @Test func aLineWithoutATotalHasCountAndRate() {
        let s = ProgressLine.Snapshot(task: "importing -", done: 12_000_000, total: nil, unit: .bytes, elapsed: 4)
        #expect(ProgressLine.render(s, width: 80) == "importing -  12 MB  3.0 MB/s  4.0 s elapsed")
        let fit = ProgressLine.Snapshot(task: "fitting isolation-forest", done: 0, total: nil, unit: .steps, elapsed: 12)
        #expect(ProgressLine.render(fit, width: 80) == "fitting isolation-forest  12 s elapsed")
    }

    @Test func narrowTerminalsShrinkTheBarThenDropItThenShortenTheTask() {
        let s = ProgressLine.Snapshot(task: "reading meters", done: 1_200_000, total: 2_900_000, unit: .rows, elapsed: 3.1)
        for width in [30, 50, 60, 70, 80, 200] {
            #expect(ProgressLine.render(s, width: width).count <= width - 1, "width \(width)")
        }
        #expect(ProgressLine.render(s, width: 80).contains("  [####--------]  "), "a shorter bar at 80 columns")
        let narrow = ProgressLine.render(s, width: 60)
        #expect(!narrow.contains("["), "no room for a bar of 5")
        #expect(narrow.hasPrefix("reading m…") && narrow.hasSuffix("4.4 s left"), "the task is cut, the numbers stay: \(narrow)")
    }

    @Test func theBarKeepsItsWidthAsTheTaskRuns() {
        var s = ProgressLine.Snapshot(task: "simulating meters", done: 0, total: 432_000, unit: .events, elapsed: 0)
        let first = ProgressLine.render(s, width: 80)
        (s.done, s.elapsed) = (66_000, 1.8)
        let later = ProgressLine.render(s, width: 80)
        #expect(first.firstIndex(of: "]") == later.firstIndex(of: "]"), "\(first)\n\(later)")
        #expect(later.contains("   66k/432k events"), "the count is padded to the total's width")
    }

    @Test func jsonAndTheEnvironmentChooseTheMode() {
        #expect(ProgressDisplay.mode(json: false, terminal: true, setting: nil) == .bar)
        #expect(ProgressDisplay.mode(json: false, terminal: false, setting: nil) == .log)
        #expect(ProgressDisplay.mode(json: true, terminal: true, setting: "1") == .log, "--json wins")
        #expect(ProgressDisplay.mode(json: false, terminal: false, setting: "1") == .bar)
        #expect(ProgressDisplay.mode(json: false, terminal: true, setting: "0") == .log)
    }
}
