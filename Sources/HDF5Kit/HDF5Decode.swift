import Dispatch

/// Runs the decoding of fetched reads on all cores.
public enum HDF5Decode {
    /// Decodes every read, largest first, with `DispatchQueue.concurrentPerform`
    /// (the calling thread takes part); returns when all are done.
    public static func concurrently(_ reads: [any HDF5Decodable]) {
        let work = reads.filter { $0.decodingCost > 0 }.sorted { $0.decodingCost > $1.decodingCost }
        if work.count == 1 { return work[0].decode() }
        DispatchQueue.concurrentPerform(iterations: work.count) { work[$0].decode() }
    }
}
