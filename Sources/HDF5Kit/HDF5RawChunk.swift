/// One chunk as stored in the file: its bytes before the filter pipeline is
/// undone, and the mask of the filters that were skipped when it was written
/// (bit i set: filter i of the pipeline was not applied).
struct HDF5RawChunk: Sendable {
    var index: Int
    var filterMask: UInt32
    var bytes: [UInt8]
}
