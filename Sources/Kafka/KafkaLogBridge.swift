import Logging

/// librdkafka's own log lines (`%3|...|FAIL|...`), as structured swift-log messages: the client's name and the
/// line's facility as metadata, the syslog level mapped to swift-log's, and at most `burst` lines per
/// facility and client every `window`, so an outage that makes librdkafka repeat itself every few hundred
/// milliseconds does not flood the log; the next line admitted says how many were left out (`suppressed`).
///
/// Called on whichever librdkafka thread logs; the counts are behind a lock.
final class KafkaLogBridge: Sendable {
    let logger: Logger
    let burst: Int
    let window: Duration
    private let clock = ContinuousClock()
    private let windows = KafkaLock<[String: (start: ContinuousClock.Instant, admitted: Int, suppressed: Int)]>([:])

    init(logger: Logger, burst: Int = 5, window: Duration = .seconds(30)) {
        self.logger = logger
        self.burst = burst
        self.window = window
    }

    /// syslog levels, as librdkafka uses them: 0-2 emergencies to critical, 3 error, 4 warning, 5 notice,
    /// 6 info, 7 debug.
    static func level(_ syslog: Int32) -> Logger.Level {
        switch syslog {
        case ...2: .critical
        case 3: .error
        case 4: .warning
        case 5: .notice
        case 6: .info
        default: .debug
        }
    }

    func log(level syslog: Int32, client: String, facility: String, _ line: String) {
        let level = Self.level(syslog)
        guard logger.logLevel <= level else { return }
        let now = clock.now
        let key = "\(client)|\(facility)"
        let (admit, suppressed) = windows.withLock { all -> (Bool, Int) in
            var w = all[key] ?? (now, 0, 0)
            if now - w.start >= window { w = (now, 0, w.suppressed) }
            defer { all[key] = w }
            guard w.admitted < burst else {
                w.suppressed += 1
                return (false, 0)
            }
            w.admitted += 1
            let left = w.suppressed
            w.suppressed = 0
            return (true, left)
        }
        guard admit else { return }
        var metadata: Logger.Metadata = ["client": "\(client)", "facility": "\(facility)"]
        if suppressed > 0 { metadata["suppressed"] = "\(suppressed)" }
        logger.log(level: level, "\(line)", metadata: metadata)
    }
}
