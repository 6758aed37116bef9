import Basics
import Foundation
import Logging

/// Progress of a long read or fit: a self-updating line on a terminal, plain
/// structured log lines (swift-log, on stderr) when stderr is a file or pipe.
public final class Progress {
    private let label: String
    private let interactive = isatty(STDERR_FILENO) == 1
    private let logger: Logger
    private var last = ContinuousClock.now
    private let began = ContinuousClock.now

    public init(_ label: String) {
        self.label = label
        var handler = StreamLogHandler.standardError(label: "forewarn.train")
        handler.logLevel = .info
        logger = Logger(label: "forewarn.train", factory: { _ in handler })
        if !interactive { logger.info("\(label): started") }
    }

    /// Reports a running count, at most five times a second.
    public func update(_ count: Int, _ unit: String) {
        let now = ContinuousClock.now
        guard now - last >= .milliseconds(200) else { return }
        last = now
        if interactive {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(label): \(count) \(unit)".utf8))
        } else if now - began >= .seconds(10) {
            logger.info("\(label): in progress", metadata: [unit: "\(count)"])
        }
    }

    public func finish(_ summary: String) {
        let seconds = (ContinuousClock.now - began).inSeconds
        if interactive {
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        } else {
            logger.info("\(label): done", metadata: ["result": "\(summary)", "seconds": "\(String(format: "%.2f", seconds))"])
        }
    }
}

