import Basics
import Foundation

/// Reads one stream of the archive: lists its finished parts and streams
/// their rows in bounded batches.
///
/// Damage is contained: a part that cannot be opened or fails validation is
/// reported as an `ArchiveProblem` and skipped (unless `strict`), so one bad
/// file never hides the rest. `.inprogress` files and `_quarantine` are
/// ignored; `ArchiveRepair` deals with them.
public struct ArchiveReader: Sendable {
    public let root: URL
    public let stream: String
    private let streamDirectory: URL

    public init(root: URL, stream: String) throws {
        self.root = root
        self.stream = stream
        streamDirectory = ArchiveLayout.streamDirectory(root: root, stream: stream)
        var isDirectory: ObjCBool = false
        guard StreamSpec.isSafeName(stream),
            FileManager.default.fileExists(atPath: streamDirectory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else { throw ArchiveError.unknownStream(stream: stream, root: root) }
    }

    /// Finished parts holding rows in [from, to), sorted by time. Hour
    /// directories outside the window are skipped without opening anything;
    /// the remaining parts are opened, validated and pruned by their
    /// `time_min`/`time_max` attributes.
    public func parts(from: Int64? = nil, to: Int64? = nil) throws -> (parts: [ArchivePart], problems: [ArchiveProblem]) {
        var parts: [ArchivePart] = []
        var problems: [ArchiveProblem] = []
        for partition in try ArchiveLayout.partitions(streamDirectory: streamDirectory)
        where partition.overlaps(from: from, to: to) {
            let files: [URL]
            do { files = try ArchiveLayout.files(in: partition.url, suffix: ArchiveLayout.partSuffix) } catch {
                problems.append(ArchiveProblem(url: partition.url, reason: "\(error)"))
                continue
            }
            for url in files {
                do {
                    let reader = try PartFileReader(url: url)
                    let s = try reader.summary()
                    if let from, s.timeMax < from { continue }
                    if let to, s.timeMin >= to { continue }
                    parts.append(
                        ArchivePart(
                            url: url, date: partition.date, hour: partition.hour, rows: s.rows, timeMin: s.timeMin,
                            timeMax: s.timeMax, bytes: ArchiveFiles.size(url), fieldNames: reader.fields,
                            verified: reader.identity))
                } catch {
                    problems.append(ArchiveProblem(url: url, reason: Self.reason(error)))
                }
            }
        }
        parts.sort { ($0.timeMin, $0.timeMax, $0.url.path) < ($1.timeMin, $1.timeMax, $1.url.path) }
        return (parts, problems)
    }

    /// Streams the rows with time in [from, to) to `body`, part by part in
    /// time order, in batches of at most `batchRows` rows, projected to
    /// `fields` (nil: every field of the part, in its order). A requested
    /// field stored in none of the selected parts is `unknownField`; one
    /// missing from only some parts makes those parts problems.
    ///
    /// Each part is read in `batchRows` hyperslab slices, so memory stays
    /// proportional to `batchRows` (plus the part's series dictionary). Before
    /// any row of a part is delivered its layout and series codes are checked;
    /// a part failing that is skipped and reported. An I/O error later in a
    /// part (after some of its batches were delivered) is reported the same
    /// way. With `strict`, the first problem is thrown instead. Errors thrown
    /// by `body` stop the read and are rethrown unchanged.
    ///
    /// `progress` hears of the task `reading <stream>` in rows of the selected parts (their metadata
    /// gives the total before a row is read; a part the window cuts counts whole once it is done).
    public func read(
        from: Int64? = nil, to: Int64? = nil, fields: [String]? = nil, batchRows: Int = 65_536, strict: Bool = false,
        progress: (any ProgressReporter)? = nil, _ body: (EventBatch) throws -> Void
    ) throws -> ReadReport {
        guard batchRows > 0 else { throw ArchiveError.invalidOptions("batchRows must be positive") }
        let listing = try parts(from: from, to: to)
        var report = ReadReport(problems: listing.problems)
        if strict, let first = listing.problems.first { throw ArchiveError.corruptPart(url: first.url, reason: first.reason) }
        if let fields, !listing.parts.isEmpty {
            var known: [String] = []
            for part in listing.parts { known += part.fieldNames.filter { !known.contains($0) } }
            if let unknown = fields.first(where: { !known.contains($0) }) {
                throw ArchiveError.unknownField(field: unknown, available: known)
            }
        }
        progress?.start("reading \(stream)", total: listing.parts.reduce(0) { $0 + $1.rows }, unit: .rows)
        var partsDone = 0
        for part in listing.parts {
            defer {
                partsDone += part.rows
                progress?.update(partsDone)
            }
            let wanted = fields ?? part.fieldNames
            if let missing = wanted.first(where: { !part.fieldNames.contains($0) }) {
                let reason = "the part has no field '\(missing)' (its fields: \(part.fieldNames.joined(separator: ", ")))"
                if strict { throw ArchiveError.specMismatch("\(part.url.path): \(reason)") }
                report.problems.append(ArchiveProblem(url: part.url, reason: reason))
                continue
            }
            func record(_ error: Error) throws {
                if strict { throw error }
                report.problems.append(ArchiveProblem(url: part.url, reason: Self.reason(error)))
            }
            let stream: ArchivePartStream
            do {
                stream = try ArchivePartStream(
                    url: part.url, verified: part.verified, fields: wanted, from: from, to: to, batchRows: batchRows)
            } catch {
                try record(error)
                continue
            }
            report.parts += 1
            report.partRows.append((part.url, 0))
            while true {
                let next: EventBatch?
                do { next = try stream.next() } catch {
                    try record(error)
                    break
                }
                guard let batch = next else { break }
                report.rows += batch.count
                report.partRows[report.partRows.count - 1].rows += batch.count
                try body(batch)
                progress?.update(partsDone + min(part.rows, report.partRows[report.partRows.count - 1].rows))
            }
        }
        progress?.finish()
        return report
    }

    static func reason(_ error: Error) -> String {
        if case .corruptPart(_, let reason) = error as? ArchiveError { return reason }
        return "\(error)"
    }
}
