import Dispatch
import HDF5Kit

/// A numeric column of a part, stored by whole chunks that this process compresses itself
/// (`HDF5EncodedChunk`: the shuffle and deflate filters' format, so h5py and every reader read the part as
/// before) and hands to HDF5 as they are. The rows of the last, partial chunk stay here as raw bytes: each
/// flush stores that chunk again, padded with zeros past the column's length, until it fills up.
struct PartFileChunkedColumn {
    let dataset: HDF5Dataset
    let type: HDF5ElementType
    let elementSize: Int
    let chunkRows: Int
    /// Raw bytes of the rows after the last complete chunk.
    private var open: [UInt8] = []
    /// Rows in complete chunks, stored for good.
    private var sealedRows = 0

    init(dataset: HDF5Dataset, type: HDF5ElementType, elementSize: Int, chunkRows: Int) {
        self.dataset = dataset
        self.type = type
        self.elementSize = elementSize
        self.chunkRows = chunkRows
        open.reserveCapacity(chunkRows * elementSize)
    }

    var rows: Int { sealedRows + open.count / elementSize }

    mutating func append<T: HDF5Numeric>(_ values: [T]) {
        values.withUnsafeBytes { open.append(contentsOf: $0) }
    }

    /// The chunks the rows appended since the last `stored()` touch, raw: every complete one, then the partial
    /// one padded to a whole chunk.
    func pendingChunks() -> [(index: Int, raw: [UInt8])] {
        let chunkBytes = chunkRows * elementSize
        var out: [(Int, [UInt8])] = []
        var start = 0, index = sealedRows / chunkRows
        while start < open.count {
            let end = min(open.count, start + chunkBytes)
            var raw = Array(open[start..<end])
            if raw.count < chunkBytes { raw.append(contentsOf: repeatElement(0, count: chunkBytes - raw.count)) }
            out.append((index, raw))
            start = end
            index += 1
        }
        return out
    }

    /// After the pending chunks were stored: the complete ones leave the buffer.
    mutating func stored() {
        let chunkBytes = chunkRows * elementSize
        let complete = open.count / chunkBytes
        guard complete > 0 else { return }
        open.removeFirst(complete * chunkBytes)
        sealedRows += complete * chunkRows
    }

    /// Compresses the pending chunks of every column on all cores, then stores them column by column.
    static func flush(_ columns: inout [PartFileChunkedColumn], level: Int32) throws {
        var jobs: [(column: Int, index: Int, raw: [UInt8])] = []
        for (c, column) in columns.enumerated() {
            for chunk in column.pendingChunks() { jobs.append((c, chunk.index, chunk.raw)) }
        }
        guard !jobs.isEmpty else { return }
        let sizes = columns.map(\.elementSize), work = jobs
        let encoded = EncodedChunks(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { j in
            let job = work[j]
            encoded.set(j, job.raw.withUnsafeBytes { HDF5EncodedChunk(index: job.index, raw: $0, elementSize: sizes[job.column], level: level) })
        }
        let results = encoded.all()
        for c in columns.indices {
            let mine = jobs.indices.filter { jobs[$0].column == c }.map { results[$0] }
            try columns[c].dataset.writeChunks(mine, count: columns[c].rows, elementType: columns[c].type)
            columns[c].stored()
        }
    }
}

/// The results of one `concurrentPerform`, one slot per iteration.
///
/// `@unchecked Sendable` is safe here: each iteration writes only its own slot, every slot is written once,
/// and `all()` is called after `concurrentPerform` has returned, which happens after every iteration ended
/// (it joins them), so no slot is read while it may be written and no two writers share one.
private final class EncodedChunks: @unchecked Sendable {
    private var slots: UnsafeMutableBufferPointer<HDF5EncodedChunk?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func set(_ i: Int, _ chunk: HDF5EncodedChunk) { slots[i] = chunk }

    func all() -> [HDF5EncodedChunk] { slots.map { $0! } }
}
