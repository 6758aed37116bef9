/// Names and constants of the part-file format (documented in docs/formats.md);
/// one place so writer, reader and repair cannot drift apart.
enum PartFileSchema {
    static let format = "forewarn-archive"
    static let version: Int32 = 1

    static let time = "time"
    static let series = "series"
    static let seriesNames = "series_names"
    static let eventID = "event_id"
    static let kafkaPartition = "kafka_partition"
    static let kafkaOffset = "kafka_offset"
    static func field(_ name: String) -> String { "fields/\(name)" }

    static let attrFormat = "format"
    static let attrVersion = "format_version"
    static let attrStream = "stream"
    static let attrSpecHash = "spec_hash"
    static let attrFields = "fields"
    static let attrKeyField = "key_field"
    static let attrTimeField = "time_field"
    static let attrIDField = "id_field"
    static let attrRows = "rows"
    static let attrTimeMin = "time_min"
    static let attrTimeMax = "time_max"

    static let deflateLevel = 4
    /// The libdeflate level the writer compresses numeric chunks at itself (`PartFileChunkedColumn`); the
    /// datasets still declare `deflateLevel`, which readers do not need (any zlib stream inflates).
    static let chunkDeflateLevel: Int32 = 4
    /// The dictionary grows by a few names at a time; small chunks keep it compact.
    static let seriesNameChunkRows = 1024

    /// Column chunk length: the flush slice, clamped to 1 Ki...64 Ki rows, so a
    /// flush usually writes whole chunks and chunks stay within HDF5's cache.
    static func chunkRows(flushRows: Int) -> Int { min(65_536, max(1_024, flushRows)) }

    /// Chunk length for a part whose columns are created at its first flush,
    /// holding `rows` rows. A part finished before then gets chunks just big
    /// enough for its rows (rounded up to 1 Ki): a chunk is inflated whole to
    /// read any row of it, so a 600-row hour in 64 Ki-row chunks would cost a
    /// hundred times its size to read. A part still growing gets room to grow:
    /// eight times the rows, as a power of two, up to the flush slice's length.
    static func chunkRows(firstFlush rows: Int, flushRows: Int, finished: Bool) -> Int {
        let full = chunkRows(flushRows: flushRows)
        if finished { return min(full, max(1_024, (rows + 1_023) / 1_024 * 1_024)) }
        var room = 1_024
        while room < rows * 8, room < full { room *= 2 }
        return min(full, room)
    }

    static let hourMs: Int64 = 3_600_000
}
