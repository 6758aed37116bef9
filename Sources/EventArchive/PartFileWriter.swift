import Foundation
import HDF5Kit

/// Writes one in-progress part (`part-….h5.inprogress`) of one hour partition.
///
/// Rows are buffered and written in `flushRows` slices to extendable
/// datasets, each slice followed by an HDF5 flush, so a crash loses at most
/// the unflushed slice and repair can finish what was flushed. New series
/// names are appended to `series_names` before the codes that use them, so a
/// flushed file never refers to a name it does not contain. `finalize` writes
/// the summary attributes, seals the closed file (`PartFileSeal`), fsyncs, and
/// publishes it as `.h5`. The
/// datasets are created at the first flush, sized by what is buffered then
/// (`PartFileSchema.chunkRows(firstFlush:flushRows:finished:)`); a crash
/// before it leaves a file with no rows, which repair quarantines.
///
/// With `sortsRows`, a part whose rows did not arrive in time order is
/// rewritten sorted by time (rows of equal time keep their order) when it is
/// finished: into `<base>.h5.sorting` beside it, renamed over the in-progress
/// file before sealing. A crash during the rewrite leaves the unsorted
/// in-progress file for repair and a `.sorting` file no reader looks at.
final class PartFileWriter {
    /// The numeric columns (time, series, each field, Kafka partition and offset, in that order) are written by
    /// whole chunks this writer compresses on all cores (`PartFileChunkedColumn`); the string columns through
    /// HDF5's own pipeline.
    private struct Columns {
        let names: HDF5Dataset
        let ids: HDF5Dataset?
        var numeric: [PartFileChunkedColumn]

        var time: HDF5Dataset { numeric[0].dataset }
        var series: HDF5Dataset { numeric[1].dataset }
        func field(_ f: Int) -> HDF5Dataset { numeric[2 + f].dataset }
        var partition: HDF5Dataset { numeric[numeric.count - 2].dataset }
        var offset: HDF5Dataset { numeric[numeric.count - 1].dataset }

        /// Appends one value column each, in the order of `numeric`, and stores them.
        mutating func write(time: [Int64], series: [Int32], fields: [[Double]], partition: [Int32], offset: [Int64]) throws {
            numeric[0].append(time)
            numeric[1].append(series)
            for (f, values) in fields.enumerated() { numeric[2 + f].append(values) }
            numeric[numeric.count - 2].append(partition)
            numeric[numeric.count - 1].append(offset)
            try PartFileChunkedColumn.flush(&numeric, level: PartFileSchema.chunkDeflateLevel)
        }
    }

    let directory: URL
    let inProgressURL: URL
    private let baseName: String
    private var file: HDF5File
    private let spec: StreamSpec
    /// Created at the first flush, when the part's size is better known than at its opening.
    private var columns: Columns?
    private let flushRows: Int
    private var buffer: PartFileBuffer
    private var codes: [String: Int32] = [:]
    private var names: [String] = []
    private var namesFlushed = 0
    /// Rows accepted (flushed and buffered).
    private(set) var rows = 0
    private var timeMin = Int64.max
    private var timeMax = Int64.min
    private let sortsRows: Bool
    /// Whether every row so far came at or after the latest time before it.
    private(set) var inTimeOrder = true

    /// Creates the in-progress file exclusively (never touching an existing file).
    init(directory: URL, baseName: String, spec: StreamSpec, flushRows: Int, sortsRows: Bool = false) throws {
        self.directory = directory
        self.baseName = baseName
        self.flushRows = flushRows
        self.spec = spec
        self.sortsRows = sortsRows
        inProgressURL = directory.appendingPathComponent(baseName + ArchiveLayout.inProgressSuffix)
        file = try Self.createFile(inProgressURL, mode: .createExclusive, spec: spec)
        buffer = PartFileBuffer(fieldCount: spec.fields.count, withEventIDs: spec.id != nil)
        try file.flush()
    }

    /// A new part file holding the stream's identity attributes and no rows.
    private static func createFile(_ url: URL, mode: HDF5File.Mode, spec: StreamSpec) throws -> HDF5File {
        let file = try HDF5File(url: url, mode: mode, userBlockBytes: PartFileSeal.headerBytes)
        let S = PartFileSchema.self
        for (name, value) in [
            (S.attrFormat, HDF5AttributeValue.string(S.format)), (S.attrVersion, .int32(S.version)),
            (S.attrStream, .string(spec.stream)), (S.attrSpecHash, .string(spec.specHash)),
            (S.attrFields, .strings(spec.fields)), (S.attrKeyField, .string(spec.key ?? "")),
            (S.attrTimeField, .string(spec.time)), (S.attrIDField, .string(spec.id ?? "")),
        ] { try file.setAttribute(name, value) }
        return file
    }

    /// Buffers rows `indices` of `batch` (already validated against the spec),
    /// writing a slice whenever `flushRows` rows are waiting.
    func append(_ batch: EventBatch, rows indices: ArraySlice<Int>) throws {
        var local = [Int32](repeating: -1, count: batch.seriesNames.count)
        for row in indices {
            let batchCode = Int(batch.seriesCodes[row])
            if local[batchCode] < 0 { local[batchCode] = intern(batch.seriesNames[batchCode]) }
            let t = batch.time[row]
            if t < timeMax { inTimeOrder = false }
            timeMin = min(timeMin, t)
            timeMax = max(timeMax, t)
            buffer.append(batch, row: row, code: local[batchCode])
            rows += 1
            if buffer.count >= flushRows { try flush() }
        }
    }

    /// Writes the buffered rows (new dictionary names first) and flushes HDF5.
    func flush() throws { try flush(finished: false) }

    private func flush(finished: Bool) throws {
        guard buffer.count > 0 || namesFlushed < names.count || finished else { return try file.flush() }
        var c = try columns ?? createColumns(finished: finished)
        if namesFlushed < names.count {
            try c.names.append(Array(names[namesFlushed...]))
            namesFlushed = names.count
        }
        guard buffer.count > 0 else { return try file.flush() }
        if let ids = c.ids, let values = buffer.eventIDs { try ids.append(values) }
        try c.write(
            time: buffer.time, series: buffer.series, fields: buffer.fields, partition: buffer.kafkaPartition,
            offset: buffer.kafkaOffset)
        columns = c
        buffer.removeAll()
        try file.flush()
    }

    private func createColumns(finished: Bool) throws -> Columns {
        let chunk = PartFileSchema.chunkRows(firstFlush: buffer.count, flushRows: flushRows, finished: finished)
        let c = try Self.createColumns(in: file, spec: spec, chunkRows: chunk)
        columns = c
        return c
    }

    private static func createColumns(in file: HDF5File, spec: StreamSpec, chunkRows chunk: Int) throws -> Columns {
        let S = PartFileSchema.self
        func column(_ name: String, _ type: HDF5ElementType, _ rows: Int = chunk) throws -> HDF5Dataset {
            try file.createDataset(name, type: type, chunkRows: rows, deflateLevel: S.deflateLevel)
        }
        func numeric(_ name: String, _ type: HDF5ElementType, _ size: Int) throws -> PartFileChunkedColumn {
            PartFileChunkedColumn(dataset: try column(name, type), type: type, elementSize: size, chunkRows: chunk)
        }
        let names = try column(S.seriesNames, .string, S.seriesNameChunkRows)
        let ids = spec.id == nil ? nil : try column(S.eventID, .string)
        var all = [try numeric(S.time, .int64, 8), try numeric(S.series, .int32, 4)]
        for field in spec.fields { all.append(try numeric(S.field(field), .double, 8)) }
        all += [try numeric(S.kafkaPartition, .int32, 4), try numeric(S.kafkaOffset, .int64, 8)]
        return Columns(names: names, ids: ids, numeric: all)
    }

    /// Flushes, writes the summary attributes and publishes the part as `.h5`.
    func finalize() throws -> URL {
        try flush(finished: true)
        if sortsRows, !inTimeOrder { try rewriteSorted() }
        try file.setAttribute(PartFileSchema.attrRows, .int64(Int64(rows)))
        try file.setAttribute(PartFileSchema.attrTimeMin, .int64(rows > 0 ? timeMin : 0))
        try file.setAttribute(PartFileSchema.attrTimeMax, .int64(rows > 0 ? timeMax : 0))
        try file.close()
        guard try PartFileSeal.seal(inProgressURL) else {
            throw ArchiveError.fileSystem(url: inProgressURL, reason: "the part has no room for its integrity header")
        }
        return try Self.publish(inProgressURL, in: directory, baseName: baseName)
    }

    /// Reads the flushed part back, writes its rows in time order to a new file and renames that over the
    /// in-progress one; `file` and `columns` then refer to the new file.
    private func rewriteSorted() throws {
        guard let old = columns else { return }
        let time = try old.time.read(Int64.self)
        let order = time.indices.sorted { (time[$0], $0) < (time[$1], $1) }
        func sorted<T>(_ values: [T]) -> [T] { order.map { values[$0] } }
        let url = directory.appendingPathComponent(baseName + ArchiveLayout.partSuffix + ".sorting")
        let target = try Self.createFile(url, mode: .truncate, spec: spec)
        var c = try Self.createColumns(
            in: target, spec: spec, chunkRows: PartFileSchema.chunkRows(firstFlush: rows, flushRows: flushRows, finished: true))
        try c.names.append(names)
        if let ids = c.ids, let oldIDs = old.ids { try ids.append(sorted(try oldIDs.readStrings())) }
        try c.write(
            time: sorted(time), series: sorted(try old.series.read(Int32.self)),
            fields: try spec.fields.indices.map { sorted(try old.field($0).read(Double.self)) },
            partition: sorted(try old.partition.read(Int32.self)), offset: sorted(try old.offset.read(Int64.self)))
        try target.flush()
        try file.close()
        guard rename(url.path, inProgressURL.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? target.close()
            throw ArchiveError.fileSystem(url: url, reason: "cannot rename the sorted part over \(inProgressURL.lastPathComponent): \(reason)")
        }
        file = target
        columns = c
    }

    /// Writes what is buffered and closes the file without finishing it,
    /// leaving the `.inprogress` file as a crash after a flush would.
    func abandon() throws {
        try flush()
        try file.close()
    }

    /// fsyncs a completed in-progress file and renames it to `<baseName>.h5`
    /// (or `<baseName>-<n>.h5` if taken), then fsyncs the directory.
    static func publish(_ source: URL, in directory: URL, baseName: String) throws -> URL {
        try ArchiveFiles.fsync(source)
        for attempt in 0..<1000 {
            let name = attempt == 0 ? baseName : "\(baseName)-\(attempt)"
            let target = directory.appendingPathComponent(name + ArchiveLayout.partSuffix)
            if try ArchiveFiles.publish(source, as: target) {
                try ArchiveFiles.fsync(directory)
                return target
            }
        }
        throw ArchiveError.fileSystem(url: source, reason: "no free part name to publish under")
    }

    private func intern(_ name: String) -> Int32 {
        if let code = codes[name] { return code }
        let code = Int32(names.count)
        codes[name] = code
        names.append(name)
        return code
    }
}
