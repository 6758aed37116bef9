extension ForecastParameters {
    /// These parameters with every `auto` setting decided from `data`: the
    /// cadence from the events' spacing, the periods by a day-ahead check of
    /// candidates on the window's last week (`PeriodSelection`), the harmonics each period allows, the weekend terms
    /// where a daily period and two weeks of history support them, and a
    /// validation horizon the window can hold. Explicit settings are kept as
    /// given. Returns what was chosen and why, one line per decision.
    func resolved(for data: ForecastColumns, fieldOrder: [Int], window: Range<Int64>?) throws -> (ForecastParameters, [String]) {
        var p = self
        var why: [String] = []
        if p.inferCadence {
            if let c = CadenceInference.cadence(data) {
                p.cadenceMs = c
                why.append("cadence \(SeasonalForecaster.duration(c)): the median spacing of the training events")
            } else {
                why.append("cadence \(SeasonalForecaster.duration(p.cadenceMs)): no series has two events at distinct times")
            }
            p.inferCadence = false
        }
        if p.detectPeriods {
            let grid = try TargetGrid(data, fieldOrder: fieldOrder, cadenceMs: p.cadenceMs, aggregation: p.aggregation, window: window)
            var detector = SeasonalityDetection()
            detector.minimumCycles = p.minimumCycles
            let found = detector.detect(grid, cadenceMs: p.cadenceMs)
            let chosen = PeriodSelection.choose(data, fieldOrder: fieldOrder, window: window, parameters: p, found: found)
            p.periodsMs = chosen.periodsMs
            let list = chosen.periodsMs.map { SeasonalForecaster.duration($0) }.joined(separator: ", ")
            why.append("periods \(list.isEmpty ? "none" : list): \(chosen.reason)")
            p.detectPeriods = false
            if !p.autoHarmonics, p.harmonics.count != p.periodsMs.count {
                throw ModelError.badParameter(
                    "\(p.harmonics.count) harmonics lists for the \(p.periodsMs.count) detected period(s): "
                        + "give period= with harmonics=, or leave harmonics=auto")
            }
        }
        if p.autoHarmonics {
            p.harmonics = p.periodsMs.enumerated().map { i, period in
                let most = Int(period / p.cadenceMs) / 2
                let wanted = i == 0 ? [4, 8, 16] : [0, 3]
                let allowed = Array(Set(wanted.map { min($0, most) })).sorted()
                return allowed.isEmpty ? [0] : allowed
            }
            if !p.periodsMs.isEmpty {
                why.append("harmonics \(p.harmonics.map { $0.map(String.init).joined(separator: "/") }.joined(separator: ",")) (candidates per period)")
            }
            p.autoHarmonics = false
        }
        if p.autoCalendar {
            // The window when given, so that shards of one window decide alike.
            let span = window.map { $0.upperBound - $0.lowerBound } ?? (data.time.max() ?? 0) - (data.time.min() ?? 0) + p.cadenceMs
            p.calendar = p.periodsMs.first == SeasonalityDetection.day && span >= 2 * SeasonalityDetection.week
            if p.calendar { why.append("weekend terms: a daily period and two weeks of history") }
            p.autoCalendar = false
        }
        if p.autoShiftConfirm {
            p.shiftConfirm = max(3, Int(SeasonalityDetection.hour / p.cadenceMs))
            why.append("shift_confirm \(p.shiftConfirm): a new level is adopted after an hour of agreeing errors")
            p.autoShiftConfirm = false
        }
        if p.validationHorizonMs == nil, p.periodsMs.isEmpty {
            // Without a season, validate on eight horizons' worth of the window's end (at most a day each).
            let span = (data.time.max() ?? 0) - (data.time.min() ?? 0)
            p.validationHorizonMs = max(p.cadenceMs, min(SeasonalityDetection.day, span / 8))
        }
        if let problem = p.problem() { throw ModelError.badParameter("forecaster parameters: \(problem)") }
        return (p, why)
    }
}
