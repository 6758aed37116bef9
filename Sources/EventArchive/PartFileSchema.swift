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
    /// The dictionary grows by a few names at a time; small chunks keep it compact.
    static let seriesNameChunkRows = 1024

    /// Column chunk length: the flush slice, clamped to 1 Ki...64 Ki rows, so a
    /// flush usually writes whole chunks and chunks stay within HDF5's cache.
    static func chunkRows(flushRows: Int) -> Int { min(65_536, max(1_024, flushRows)) }

    static let hourMs: Int64 = 3_600_000
}
