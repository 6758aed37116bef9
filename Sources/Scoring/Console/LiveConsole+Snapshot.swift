import Foundation

extension LiveConsole {
    /// The page's data as JSON: the models with their versions and recent changes, the totals the page turns
    /// into rates (events in, predictions, anomalies) with the time they were read, the consumer lag, readiness,
    /// the latest incidents, and the watched series' points. Numbers that are not known are `null`.
    public func snapshot(metrics: ServeMetrics) -> String {
        let s = state.withLock { $0 }
        func number(_ v: Double) -> Any { v.isFinite ? v : NSNull() }
        let object: [String: Any] = [
            "now": Self.now(),
            "ready": metrics.gauge("forewarn_ready") == 1,
            "not_ready": metrics.notReadyReasons,
            "events_in": metrics.total("forewarn_events_in_total"),
            "predictions_out": metrics.total("forewarn_predictions_out_total"),
            "anomalies": metrics.total("forewarn_anomalies_total"),
            "dead_letters": metrics.total("forewarn_dead_letters_total"),
            "lag": metrics.sum("forewarn_consumer_lag"),
            "models": s.versions.keys.sorted().map { ["name": $0, "version": s.versions[$0]!] },
            "changes": s.changes.map { c -> [String: Any] in
                ["at": c.at, "model": c.model, "from": c.from.map { $0 as Any } ?? NSNull(), "to": c.to]
            },
            "incidents": s.incidents.map { i -> [String: Any] in
                [
                    "model": i.model, "version": i.version, "series": i.series, "ts": i.time,
                    "field": i.field.map { $0 as Any } ?? NSNull(), "actual": number(i.actual), "expected": number(i.expected),
                    "lower": number(i.lower), "upper": number(i.upper), "sigmas": number(i.sigmas), "drivers": i.drivers,
                    "rank": number(i.rank),
                ]
            },
            "watch": s.watch.map { w -> Any in
                [
                    "model": w.model, "series": w.series, "field": s.field.map { $0 as Any } ?? NSNull(),
                    "points": s.points.map { p -> [Any] in
                        [p.time, number(p.value), number(p.forecast), number(p.lower), number(p.upper), p.flagged]
                    },
                ]
            } ?? NSNull(),
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
