import Foundation
import Synchronization

/// Runs the built `forewarn` executable, as a user would, and captures what it prints.
struct CLIRunner {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
        /// Killed by a signal (then `status` is the signal's number), including the kill after a timeout.
        var signalled = false
        var timedOut = false
    }

    static let executable: URL = {
        // The test bundle sits in the same build directory as the executable.
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var dir = here
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("forewarn")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return packageRoot.appendingPathComponent(".build/debug/forewarn")
    }()

    /// Runs to the end, or with `timeout` until then, when the child is killed (SIGKILL) and `timedOut` set.
    /// `environment` adds to (or replaces in) this process's environment.
    static func run(
        _ arguments: [String], in directory: URL? = nil, timeout: Duration? = nil, environment: [String: String] = [:]
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let watch = timeout.map { ChildTimeout(pid: process.processIdentifier, after: $0) }
        // Drain both pipes concurrently so a chatty child never blocks on a full pipe.
        let errData = LockedData()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData.set(err.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        let timedOut = watch?.finish() ?? false
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData.get(), as: UTF8.self), signalled: process.terminationReason == .uncaughtSignal,
            timedOut: timedOut)
    }
}

/// Kills a child that outlives its deadline. `finish` (after the child was
/// waited for) says whether it was killed, and disarms the kill.
final class ChildTimeout: Sendable {
    private let state = Mutex((done: false, fired: false))

    init(pid: Int32, after timeout: Duration) {
        let (seconds, atto) = timeout.components
        DispatchQueue.global().asyncAfter(deadline: .now() + Double(seconds) + Double(atto) * 1e-18) { [self] in
            self.state.withLock {
                guard !$0.done else { return }
                $0.fired = true
                kill(pid, SIGKILL)
            }
        }
    }

    func finish() -> Bool { state.withLock { $0.done = true; return $0.fired } }
}

/// Data handed from the draining thread to the caller, guarded by a lock.
final class LockedData: Sendable {
    private let lock = NSLock()
    // Only touched under `lock`; `nonisolated(unsafe)` because NSLock is not visible to the checker.
    nonisolated(unsafe) private var data = Data()
    func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}

/// A fresh temporary directory, removed by `cleanup()`.
struct TempDir {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("forewarn-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    func write(_ name: String, _ text: String) throws -> String {
        let p = path(name)
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }
    func cleanup() { try? FileManager.default.removeItem(at: url) }
}

func jsonObject(_ text: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
}
