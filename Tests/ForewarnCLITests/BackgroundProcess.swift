import Foundation

/// The built `forewarn` started in the background, for commands that run until signalled.
final class BackgroundProcess {
    private let process = Process()
    private let out = Pipe(), err = Pipe()
    private var pending = Data()

    init(_ arguments: [String]) throws {
        process.executableURL = CLIRunner.executable
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = err
        try process.run()
    }

    /// The next line of standard output; nil at end of file (the process exited first).
    func readLine() -> String? {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending = Data(pending[pending.index(after: newline)...])
                return line
            }
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }
            pending.append(chunk)
        }
    }

    /// Sends SIGTERM, waits for the exit, and returns the status and what went to standard error.
    func terminate() -> (status: Int32, stderr: String) {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, text)
    }

    /// Sends SIGTERM and waits up to `seconds` for the exit; a process still running
    /// then is killed (SIGKILL) and reported with a nil status, so a command that
    /// ignores the signal fails its test instead of hanging it.
    func terminate(within seconds: Double) -> (status: Int32?, stderr: String) {
        if process.isRunning { process.terminate() }
        return waitForExit(within: seconds)
    }

    /// Waits up to `seconds` for the process to exit by itself; one still running then is killed (SIGKILL)
    /// and reported with a nil status.
    func waitForExit(within seconds: Double) -> (status: Int32?, stderr: String) {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        let exited = !process.isRunning
        if !exited { kill9() }
        let result = terminate()
        return (exited ? result.status : nil, result.stderr)
    }

    /// Kills the process with SIGKILL, as a crash would, and waits for it to be gone.
    func kill9() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { if process.isRunning { process.terminate() } }
}
