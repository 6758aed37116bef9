import Basics
import Dispatch
import Foundation
import Logging
import Synchronization

/// How `forewarn` shows the progress its libraries report (`ProgressReporter`), on standard error.
///
/// On a terminal: one self-updating line (`ProgressLine`), redrawn at most five times a second by a
/// timer rather than by the work, so a fit that reports nothing still shows its time going by, and
/// cleared when the task ends. Otherwise (a file, a pipe, a scheduler's log) and always with `--json`:
/// no escape codes, only structured log lines, `started`, `in progress` every 10 s and `done` with
/// the count and the seconds, which read well in a journal and keep stdout pure JSON.
/// `FOREWARN_PROGRESS=1` draws the bar even when standard error is not a terminal, `=0` never draws
/// it (docs/operations.md); `--json` wins over both.
final class ProgressDisplay: ProgressReporter {
    enum Mode: Equatable {
        case bar
        case log
    }

    let mode: Mode
    private let logger: Logger
    private let state = Mutex(State())

    private struct Task {
        var name: String
        var total: Int?
        var unit: ProgressUnit
        var done = 0
        var began = ContinuousClock.now
        var lastLog = ContinuousClock.now
    }

    private struct State {
        var task: Task?
        /// The line on the screen, nil when none is (then output need not clear it first).
        var drawn: String?
        var ticker: DispatchSourceTimer?
    }

    /// Log lines come this often while a task runs.
    static let logEvery = Duration.seconds(10)

    init(mode: Mode) {
        self.mode = mode
        var handler = StreamLogHandler.standardError(label: "forewarn")
        handler.logLevel = .info
        logger = Logger(label: "forewarn", factory: { _ in handler })
    }

    /// The display for a command: log lines with `--json`, else as `FOREWARN_PROGRESS` says, else a
    /// bar exactly when standard error is a terminal.
    convenience init(json: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(mode: Self.mode(json: json, terminal: isatty(STDERR_FILENO) == 1, setting: environment["FOREWARN_PROGRESS"]))
    }

    static func mode(json: Bool, terminal: Bool, setting: String?) -> Mode {
        if json { return .log }
        switch setting {
        case "0": return .log
        case "1": return .bar
        default: return terminal ? .bar : .log
        }
    }

    deinit { close() }

    func start(_ task: String, total: Int?, unit: ProgressUnit) {
        state.withLock { s in
            if s.task != nil { end(&s) }
            s.task = Task(name: task, total: total, unit: unit)
            switch mode {
            case .bar: draw(&s)
            case .log:
                var metadata: Logger.Metadata = [:]
                if let total { metadata["total"] = "\(total)"; metadata["unit"] = "\(unit.name)" }
                logger.info("\(task): started", metadata: metadata)
            }
            if s.ticker == nil { s.ticker = makeTicker() }
        }
    }

    func update(_ done: Int) {
        state.withLock { $0.task?.done = done }
    }

    func finish() {
        state.withLock { s in if s.task != nil { end(&s) } }
    }

    /// Runs `body`, which prints, with the bar off the screen; it comes back at the next redraw.
    /// `body` must not call the display (its lock is held, so output and redraws never interleave).
    func pause<T>(_ body: () throws -> T) rethrows -> T {
        try state.withLock { s in
            clear(&s)
            return try body()
        }
    }

    /// Stops the timer and takes the bar off the screen (a task that failed midway logs no `done`).
    func close() {
        state.withLock { s in
            s.ticker?.cancel()
            s.ticker = nil
            s.task = nil
            clear(&s)
        }
    }

    private func end(_ s: inout State) {
        guard let task = s.task else { return }
        s.task = nil
        switch mode {
        case .bar: clear(&s)
        case .log:
            var metadata: Logger.Metadata = ["seconds": "\(String(format: "%.2f", (ContinuousClock.now - task.began).inSeconds))"]
            if task.unit != .steps { metadata[task.unit.name] = "\(task.done)" }
            logger.info("\(task.name): done", metadata: metadata)
        }
    }

    private func tick() {
        state.withLock { s in
            guard var task = s.task else { return }
            switch mode {
            case .bar: draw(&s)
            case .log:
                let now = ContinuousClock.now
                guard now - task.lastLog >= Self.logEvery else { return }
                task.lastLog = now
                s.task = task
                var metadata: Logger.Metadata = ["seconds": "\(Int((now - task.began).inSeconds))"]
                if task.unit != .steps { metadata[task.unit.name] = "\(task.done)" }
                if let total = task.total { metadata["total"] = "\(total)" }
                logger.info("\(task.name): in progress", metadata: metadata)
            }
        }
    }

    private func draw(_ s: inout State) {
        guard let task = s.task else { return }
        let line = ProgressLine.render(
            .init(task: task.name, done: task.done, total: task.total, unit: task.unit, elapsed: (ContinuousClock.now - task.began).inSeconds),
            width: Self.terminalColumns())
        guard line != s.drawn else { return }
        write("\r" + line + "\u{1B}[K")
        s.drawn = line
    }

    private func clear(_ s: inout State) {
        guard s.drawn != nil else { return }
        write("\r\u{1B}[K")
        s.drawn = nil
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// A timer on a global queue: five ticks a second for the bar, one for the log's 10 s cadence.
    private func makeTicker() -> DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        let interval: DispatchTimeInterval = mode == .bar ? .milliseconds(200) : .seconds(1)
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in self?.tick() }
        timer.resume()
        return timer
    }

    /// The width of the terminal on standard error (it may change between redraws), 80 when unknown.
    static func terminalColumns() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}
