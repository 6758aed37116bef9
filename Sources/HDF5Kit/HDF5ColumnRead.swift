import Synchronization

/// Something fetched from a file whose decoding can run on any thread.
public protocol HDF5Decodable: AnyObject, Sendable {
    /// Decodes now and keeps the outcome; a second call does nothing.
    func decode()
    /// Roughly how much work `decode` is (stored bytes), to schedule big ones first.
    var decodingCost: Int { get }
}

/// Rows `range` of a numeric dataset, fetched by `HDF5Dataset.fetch` in two
/// steps so that decompression can leave the HDF5 lock.
///
/// When the dataset's pipeline is one HDF5Kit can undo (see
/// `HDF5ChunkLayout`), `fetch` only copies each chunk's stored bytes out of
/// the file, under the lock, and `decode` inflates and unshuffles them, with
/// no HDF5 call, on whichever thread runs it. `HDF5Decode.concurrently` runs
/// many of them on all cores. Otherwise `fetch` has already read the values
/// with `H5Dread` and `decode` has nothing left to do. Either way `values()`
/// returns exactly what `HDF5Dataset.read` would.
public final class HDF5ColumnRead<T: HDF5Numeric>: HDF5Decodable {
    enum Source: Sendable {
        case values([T])
        case chunks(HDF5ChunkLayout, [HDF5RawChunk])
    }

    /// `file.h5:/dataset`, for messages.
    public let location: String
    public let range: Range<Int>
    private let source: Source
    private let outcome = Mutex<Result<[T], HDF5Error>?>(nil)

    init(location: String, range: Range<Int>, source: Source) {
        self.location = location
        self.range = range
        self.source = source
    }

    /// Whether the stored chunks were fetched to be decoded here rather than by HDF5.
    public var isDirect: Bool {
        if case .chunks = source { return true }
        return false
    }

    public var decodingCost: Int {
        guard case .chunks(_, let chunks) = source else { return 0 }
        return chunks.reduce(0) { $0 + $1.bytes.count }
    }

    public func decode() {
        guard case .chunks(let layout, let chunks) = source, outcome.withLock({ $0 == nil }) else { return }
        let decoded = Self.decode(chunks, layout: layout, range: range, location: location)
        outcome.withLock { $0 = decoded }
    }

    /// The values, decoding them first if that has not happened. A chunk
    /// that fails to decode (corrupt data) is an `HDF5Error` naming it.
    public func values() throws(HDF5Error) -> [T] {
        switch source {
        case .values(let values): return values
        case .chunks(let layout, let chunks):
            let decoded = outcome.withLock { $0.take() }
            return try (decoded ?? Self.decode(chunks, layout: layout, range: range, location: location)).get()
        }
    }

    private static func decode(
        _ chunks: [HDF5RawChunk], layout: HDF5ChunkLayout, range: Range<Int>, location: String
    ) -> Result<[T], HDF5Error> {
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: layout.chunkBytes, alignment: 64)
        defer { scratch.deallocate() }
        do {
            let values = try [T](unsafeUninitializedCapacity: range.count) { buffer, initialized in
                let base = UnsafeMutableRawPointer(buffer.baseAddress!)
                for chunk in chunks {
                    let rows = layout.rows(ofChunk: chunk.index).clamped(to: range)
                    let out = base + (rows.lowerBound - range.lowerBound) * layout.elementSize
                    try layout.decode(chunk, rows: rows, into: out, scratch: scratch)
                }
                initialized = range.count
            }
            return .success(values)
        } catch let error as HDF5ChunkDecodingError {
            let rows = layout.rows(ofChunk: error.chunk)
            return .failure(
                HDF5Error(
                    operation: "decode chunk \(error.chunk) (rows \(rows.lowerBound)..<\(rows.upperBound)) of",
                    object: location, detail: error.reason))
        } catch {
            return .failure(HDF5Error(operation: "decode", object: location, detail: "\(error)"))
        }
    }
}
