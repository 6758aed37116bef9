import Foundation

/// Yields one part's rows in time window [from, to) as batches of at most
/// `batchRows` rows, reading one hyperslab slice per batch so memory stays
/// flat regardless of the part's size. The part is validated (layout and
/// series codes) when the stream is created, before any row is yielded.
final class ArchivePartStream {
    private let part: PartFileReader
    private let fields: [String]
    private let names: [String]
    private let from: Int64?
    private let to: Int64?
    private let batchRows: Int
    private var position = 0
    private var remap: [Int32]

    init(url: URL, verified: PartFileSeal.Identity?, fields: [String], from: Int64?, to: Int64?, batchRows: Int) throws {
        part = try PartFileReader(url: url, verified: verified)
        _ = try part.summary()
        names = try part.seriesNames()
        try part.checkSeriesCodes(dictionarySize: names.count, sliceRows: max(batchRows, 65_536))
        self.fields = fields
        self.from = from
        self.to = to
        self.batchRows = batchRows
        remap = [Int32](repeating: -1, count: names.count)
    }

    /// The next non-empty batch, or nil when the part is exhausted.
    func next() throws -> EventBatch? {
        while position < part.length {
            let range = position..<min(part.length, position + batchRows)
            position = range.upperBound
            let slice = try part.slice(range, fields: fields)
            let batch = slice.batch(fieldNames: fields, names: names, from: from, to: to, remap: &remap)
            if !batch.isEmpty { return batch }
        }
        return nil
    }
}
