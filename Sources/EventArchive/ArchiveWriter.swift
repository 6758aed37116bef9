import Foundation

/// Appends one stream's events to the archive, partitioned by UTC event hour.
///
/// Each hour partition touched gets one open in-progress part; it is finished
/// (published as `.h5`) when it reaches `maxRowsPerPart`, when more than
/// `maxOpenParts` partitions are open (least recently used first), or on
/// `close()`. Existing finished parts are never opened for writing: a later
/// import into the same hour simply adds another part. If the writer is
/// dropped without `close()`, flushed rows stay in `.inprogress` files that
/// `ArchiveRepair` can finish; rows still buffered are lost.
///
/// Not `Sendable`: one writer per stream, used from one task at a time.
public final class ArchiveWriter {
    public let root: URL
    public let spec: StreamSpec
    public let options: Options
    /// Rows accepted by `append` so far.
    public private(set) var rowsWritten = 0
    /// Rows `append` left out because their id was already in the archive (`Options.skipDuplicateIDs`).
    public private(set) var duplicatesSkipped = 0
    private var ids: ArchiveIDIndex?
    private let streamDirectory: URL
    private var open: [Int64: (part: PartFileWriter, lastUse: UInt64)] = [:]
    private var finished: [URL] = []
    private var useClock: UInt64 = 0
    private var partSequence = 0
    private var closed = false

    public init(root: URL, spec: StreamSpec, options: Options = .init()) throws {
        guard options.maxRowsPerPart > 0, options.flushRows > 0, options.maxOpenParts > 0 else {
            throw ArchiveError.invalidOptions("maxRowsPerPart, flushRows and maxOpenParts must be positive")
        }
        self.root = root
        self.spec = spec
        self.options = options
        streamDirectory = ArchiveLayout.streamDirectory(root: root, stream: spec.stream)
        if spec.id != nil, options.skipDuplicateIDs { ids = ArchiveIDIndex(root: root, stream: spec.stream) }
        try ArchiveFiles.createDirectory(streamDirectory)
    }

    /// Routes each row to its hour partition. The whole batch is validated
    /// first, so a malformed batch writes nothing.
    public func append(_ batch: EventBatch) throws {
        guard !closed else { throw ArchiveError.writerClosed(stream: spec.stream) }
        try validate(batch)
        if ids != nil, let keep = try ids?.newRows(batch, open: Set(open.keys)) {
            duplicatesSkipped += batch.count - keep.count
            if !keep.isEmpty { try write(batch.rows(keep)) }
            return
        }
        try write(batch)
    }

    /// Writes a validated batch's rows into their hours' open parts.
    private func write(_ batch: EventBatch) throws {
        var byHour: [Int64: [Int]] = [:]
        for (row, t) in batch.time.enumerated() { byHour[EventTime.hourStart(t), default: []].append(row) }
        for hour in byHour.keys.sorted() {
            guard let rows = byHour[hour] else { continue }
            var rest = rows[...]
            while !rest.isEmpty {
                let part = try openPart(hour: hour, time: batch.time[rest.first ?? 0])
                let take = rest.prefix(options.maxRowsPerPart - part.rows)
                try part.append(batch, rows: take)
                rowsWritten += take.count
                rest = rest.dropFirst(take.count)
                if part.rows >= options.maxRowsPerPart { try finish(hour: hour) }
            }
        }
    }

    /// Writes every buffered row to its in-progress part and flushes HDF5, so a
    /// crash after this returns loses none of the rows appended so far
    /// (`ArchiveRepair` finishes the parts). The streaming scorer calls it
    /// before committing Kafka offsets.
    public func flush() throws {
        for hour in open.keys.sorted() { try open[hour]?.part.flush() }
    }

    /// Finishes every open part and returns all parts this writer published,
    /// sorted by path. Further `append`s throw; calling `close` again only
    /// returns the list. If some part fails to finish, the others are still
    /// finished and the first error is thrown.
    @discardableResult
    public func close() throws -> [URL] {
        closed = true
        var firstError: Error?
        for hour in open.keys.sorted() {
            do { try finish(hour: hour) } catch {
                open[hour] = nil
                firstError = firstError ?? error
            }
        }
        if let firstError { throw firstError }
        return finished.sorted { $0.path < $1.path }
    }

    /// Testing hook: flushes buffered rows and drops the open parts without
    /// finishing them, leaving `.inprogress` files like a crash after a flush.
    func abandon() throws {
        closed = true
        let parts = open.values.map(\.part)
        open.removeAll()
        for part in parts { try part.abandon() }
    }

    private func openPart(hour: Int64, time: Int64) throws -> PartFileWriter {
        useClock += 1
        if let entry = open[hour] {
            open[hour] = (entry.part, useClock)
            return entry.part
        }
        while open.count >= options.maxOpenParts,
            let lru = open.min(by: { $0.value.lastUse < $1.value.lastUse })?.key
        {
            try finish(hour: lru)
        }
        let directory = ArchiveLayout.partitionDirectory(streamDirectory: streamDirectory, time: time)
        try ArchiveFiles.createDirectory(directory)
        // Skip names already used by any part (finished or not); the exclusive
        // create below still fails rather than reuse a name taken meanwhile.
        var base: String
        repeat {
            partSequence += 1
            base = ArchiveLayout.partBaseName(sequence: partSequence)
        } while [ArchiveLayout.partSuffix, ArchiveLayout.inProgressSuffix].contains(where: {
            FileManager.default.fileExists(atPath: directory.appendingPathComponent(base + $0).path)
        })
        let part = try PartFileWriter(directory: directory, baseName: base, spec: spec, flushRows: options.flushRows, sortsRows: options.sortParts)
        open[hour] = (part, useClock)
        return part
    }

    private func finish(hour: Int64) throws {
        guard let entry = open.removeValue(forKey: hour) else { return }
        finished.append(try entry.part.finalize())
    }

    private func validate(_ batch: EventBatch) throws {
        let n = batch.count
        guard batch.fieldNames == spec.fields else {
            throw ArchiveError.specMismatch(
                "batch fields [\(batch.fieldNames.joined(separator: ", "))] differ from the spec's "
                    + "[\(spec.fields.joined(separator: ", "))] of stream '\(spec.stream)'")
        }
        guard batch.seriesCodes.count == n, batch.fields.count == spec.fields.count,
            batch.fields.allSatisfy({ $0.count == n }), batch.eventIDs.map({ $0.count == n }) ?? true,
            batch.kafkaPartition.map({ $0.count == n }) ?? true, batch.kafkaOffset.map({ $0.count == n }) ?? true,
            (batch.kafkaPartition == nil) == (batch.kafkaOffset == nil)
        else { throw ArchiveError.specMismatch("batch columns have different lengths") }
        guard (spec.id != nil) == (batch.eventIDs != nil) else {
            throw ArchiveError.specMismatch(
                spec.id == nil ? "batch has event ids but the spec names no id field" : "batch lacks event ids the spec requires")
        }
        let names = batch.seriesNames.count
        if let bad = batch.seriesCodes.first(where: { $0 < 0 || Int($0) >= names }) {
            throw ArchiveError.specMismatch("series code \(bad) is outside the batch dictionary of \(names) names")
        }
        if let bad = batch.time.first(where: { !EventTime.validRange.contains($0) }) {
            throw ArchiveError.timeOutOfRange(bad)
        }
    }
}
