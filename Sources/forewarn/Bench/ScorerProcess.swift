import Foundation

/// `forewarn serve --config FILE` in a process of its own, its log in a file.
struct ScorerProcess {
    let process: Process

    static func start(config: String, log: URL) throws -> ScorerProcess {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        p.arguments = ["serve", "--config", config]
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        return ScorerProcess(process: p)
    }

    var pid: Int32 { process.processIdentifier }

    /// SIGTERM, then up to `timeout` for it to end; its exit status (nil when it did not end and was killed).
    func stop(timeout: TimeInterval = 30) -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(pid, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }
}
