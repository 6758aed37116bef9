/// What `period=auto` fits: of a few candidate period sets, the one whose forecaster forecasts the last week of
/// the training window best a day ahead (`DayAheadCheck`).
///
/// The autocorrelation alone proved a poor judge of that on real series: it found no period on some with a
/// clear daily profile, and a cycle of minutes or hours on others, where a day (and a week) forecast the next
/// day far better. So it proposes one candidate among others: none (non-seasonal), what it detected, a day,
/// and a day and a week, each only where the window holds it `minimumCycles` times (and a period two cells).
/// A candidate with more periods must beat every simpler one by `margin`: on a series without a season the
/// harmonics only add estimation noise, a small and random gain that should not pick them.
enum PeriodSelection {
    static let day = SeasonalityDetection.day, week = SeasonalityDetection.week
    /// How much lower (relative) a candidate's error must be than a candidate with fewer periods.
    static let margin = 0.01

    struct Candidate: Equatable {
        var periodsMs: [Int64]
        var name: String
    }

    /// The candidate period sets for a window spanning `spanMs` at `cadenceMs`, without repeats, fewest periods first.
    static func candidates(detected: [Int64], spanMs: Int64, cadenceMs: Int64, minimumCycles: Double) -> [Candidate] {
        func fits(_ periods: [Int64]) -> Bool {
            periods.allSatisfy { $0 >= 2 * cadenceMs && Double($0) * minimumCycles <= Double(spanMs) }
        }
        var out = [Candidate(periodsMs: [], name: "none")]
        for (periods, name) in [(detected, "autocorrelation's"), ([day], "a day"), ([day, week], "a day and a week")]
        where !periods.isEmpty && fits(periods) && !out.contains(where: { $0.periodsMs == periods }) {
            out.append(Candidate(periodsMs: periods, name: name))
        }
        // By their periods' count (a stable order), as `choose` compares them.
        return out.enumerated().sorted { ($0.element.periodsMs.count, $0.offset) < ($1.element.periodsMs.count, $1.offset) }
            .map(\.element)
    }

    /// The periods for `data` and why, given what the autocorrelation `found`; `parameters` has its cadence decided.
    /// Without room for the check (a window under `DayAheadCheck.days` days and two), the autocorrelation decides.
    static func choose(
        _ data: ForecastColumns, fieldOrder: [Int], window: Range<Int64>?, parameters: ForecastParameters,
        found: SeasonalityDetection.Found
    ) -> (periodsMs: [Int64], reason: String) {
        guard let check = DayAheadCheck(data, fieldOrder: fieldOrder, window: window, cadenceMs: parameters.cadenceMs) else {
            return (found.periodsMs, "\(found.reason) (the window is too short for the \(DayAheadCheck.days)-day day-ahead check)")
        }
        let span = window.map { $0.upperBound - $0.lowerBound }
            ?? (data.time.max() ?? 0) - (data.time.min() ?? 0) + parameters.cadenceMs
        let options = candidates(
            detected: found.periodsMs, spanMs: span, cadenceMs: parameters.cadenceMs, minimumCycles: parameters.minimumCycles)
        let measured = options.compactMap { c in check.error(periodsMs: c.periodsMs, parameters: parameters).map { (c, $0) } }
        guard var best = measured.first else {
            return (found.periodsMs, "\(found.reason) (no candidate could be checked a day ahead)")
        }
        // In order of their periods' count: a richer candidate takes over only by beating the best simpler one clearly.
        for (candidate, error) in measured.dropFirst() where error < best.1 * (1 - margin) || (
            candidate.periodsMs.count == best.0.periodsMs.count && error < best.1)
        {
            best = (candidate, error)
        }
        let figures = measured.map { "\($0.0.name) \(SeasonalityDetection.format($0.1))" }.joined(separator: ", ")
        let skipped = options.filter { c in !measured.contains { $0.0 == c } }.map(\.name)
        return (
            best.0.periodsMs,
            "\(best.0.name): the least day-ahead error over the last \(DayAheadCheck.days) days of the window (MAE over "
                + "the mean change, candidates: \(figures)\(skipped.isEmpty ? "" : "; not fitted: " + skipped.joined(separator: ", "))); "
                + found.reason)
    }
}
