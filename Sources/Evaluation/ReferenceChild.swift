import Foundation

/// A long-lived child Python running one of the benches' scripts: `ReferenceScript` (TSB-AD's metrics and
/// the reference detectors) by default, `ForecastReferenceScript` for the forecast bench; one JSON line per
/// case each way, data through raw files in `scratch`. Threads for its BLAS and OpenMP are pinned to one,
/// as `bench isolation-forest` does.
public final class ReferenceChild {
    public let python: String
    /// The packages' versions the child reported.
    public private(set) var versions: [String: String] = [:]
    private let process = Process()
    private let input = Pipe(), output = Pipe()
    private var pending = Data()
    private let stderrPath: String

    /// Starts `python` on `bench detection`'s script (`ReferenceScript`) and waits for its readiness line;
    /// throws a `ReferenceError` that says how to set up a venv when it cannot start or lacks a package.
    public convenience init(python: String, scratch: String) throws {
        try self.init(python: python, scratch: scratch, script: ReferenceScript.source, setup: ReferenceError.setup, venv: "/work/venv")
    }

    /// The same for `script`, whose venv is set up as `setup` says, in `venv`.
    init(python: String, scratch: String, script: String, setup: String, venv: String) throws {
        self.python = python
        signal(SIGPIPE, SIG_IGN)  // a child that died must be an error here, not the end of the bench
        stderrPath = (scratch as NSString).appendingPathComponent("python-stderr.txt")
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-u", "-c", script]
        var environment = ProcessInfo.processInfo.environment
        for name in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"] { environment[name] = "1" }
        process.environment = environment
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        do { try process.run() } catch { throw ReferenceError("cannot run '\(python)': \(error)") }
        guard let line = readLine(), let ready = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else {
            throw ReferenceError("'\(python)' did not start the evaluation script\(stderrTail()); set up a venv:\n\(setup)\nand pass --python \(venv)/bin/python")
        }
        if let error = ready["error"] as? String {
            throw ReferenceError("'\(python)' lacks what the bench needs (\(error)); set up a venv:\n\(setup)\nand pass --python \(venv)/bin/python")
        }
        versions = ready["versions"] as? [String: String] ?? [:]
    }

    deinit { close() }

    /// Ends the child (closing its input ends its loop).
    public func close() {
        guard process.isRunning else { return }
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// Sends one request of `bench detection` and reads its reply.
    func ask(_ request: ReferenceRequest) throws -> ReferenceReply { try ask(request, as: ReferenceReply.self) }

    /// Sends one request and reads its reply as `Reply`.
    func ask<Request: Encodable, Reply: Decodable>(_ request: Request, as: Reply.Type) throws -> Reply {
        guard process.isRunning else { throw ReferenceError("the evaluation Python has exited\(stderrTail())") }
        var line = try JSONEncoder().encode(request)
        line.append(10)
        try input.fileHandleForWriting.write(contentsOf: line)
        guard let reply = readLine() else { throw ReferenceError("the evaluation Python stopped answering\(stderrTail())") }
        do { return try JSONDecoder().decode(Reply.self, from: reply) } catch {
            throw ReferenceError("the evaluation Python answered something unreadable: \(String(decoding: reply.prefix(200), as: UTF8.self))")
        }
    }

    /// The next line of the child's output, nil at its end.
    private func readLine() -> Data? {
        while true {
            if let newline = pending.firstIndex(of: 10) {
                let line = pending[pending.startIndex..<newline]
                pending = Data(pending[(newline + 1)...])
                return Data(line)
            }
            let more = output.fileHandleForReading.availableData
            if more.isEmpty { return nil }
            pending.append(more)
        }
    }

    /// The last lines the child wrote on stderr, for an error message.
    private func stderrTail() -> String {
        guard let text = try? String(contentsOfFile: stderrPath, encoding: .utf8), !text.isEmpty else { return "" }
        return " (it said: \(text.split(separator: "\n").suffix(3).joined(separator: " / ")))"
    }
}
