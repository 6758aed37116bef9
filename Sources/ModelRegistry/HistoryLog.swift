import DurableFiles
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `history.jsonl`: one JSON object a line, only ever appended to (under the
/// model's lock). A crash in the middle of an append can leave a final line
/// without its newline; readers ignore it, and the next writer cuts it off
/// before appending, since it was never acknowledged.
enum HistoryLog {
    static func append(_ entry: HistoryEntry, to path: String) throws {
        var line = try encoder.encode(entry)
        line.append(UInt8(ascii: "\n"))
        let existed = FileManager.default.fileExists(atPath: path)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RegistryError.io(path: path, reason: "cannot open for appending: \(errnoText())") }
        defer { close(fd) }
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == line.count else { throw RegistryError.io(path: path, reason: "short write: \(errnoText())") }
        try durable { try Durable.fsync(path) }
        if !existed { try durable { try Durable.fsync(Durable.directory(of: path)) } }
    }

    /// The complete lines of the file, in order; an absent file is an empty history.
    /// A complete line that does not parse is reported with its line number.
    static func read(_ path: String, name: String) throws(RegistryError) -> [HistoryEntry] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        var entries: [HistoryEntry] = []
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        lines.removeLast()  // the torn tail, or the empty string after the final newline
        for (i, line) in lines.enumerated() {
            do { entries.append(try JSONDecoder().decode(HistoryEntry.self, from: Data(line))) } catch {
                throw .damaged([
                    RegistryProblem(
                        name: name, file: "history.jsonl", reason: "line \(i + 1) is not a history entry")
                ])
            }
        }
        return entries
    }

    /// Cuts off a torn final line (no newline) left by a crash mid-append.
    static func repairTail(_ path: String) throws {
        guard let data = FileManager.default.contents(atPath: path), let last = data.last,
            last != UInt8(ascii: "\n")
        else { return }
        let keep = (data.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
        guard truncate(path, off_t(keep)) == 0 else {
            throw RegistryError.io(path: path, reason: "cannot cut the torn last line: \(errnoText())")
        }
        try durable { try Durable.fsync(path) }
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()
}

/// Runs a `Durable` step, turning its error into `RegistryError.io`.
func durable<T>(_ step: () throws -> T) throws(RegistryError) -> T {
    do { return try step() } catch let error as DurableFileError {
        throw .io(path: error.path, reason: "\(error.operation) failed: \(error.reason)")
    } catch let error as RegistryError { throw error } catch { throw .io(path: "", reason: "\(error)") }
}
