extension ArchiveWriter {
    /// Tuning of part size, durability granularity and open-file usage.
    public struct Options: Sendable {
        /// A part is finished and a new one started once it holds this many rows.
        public var maxRowsPerPart: Int = 1_000_000
        /// Rows are buffered and written (then flushed to the OS) in slices of
        /// this many rows; it bounds what a crash can lose per open part.
        public var flushRows: Int = 65_536
        /// At most this many hour partitions have an open part; beyond that the
        /// least recently used is finished, so imports spanning months do not
        /// hold hundreds of files open.
        public var maxOpenParts: Int = 32
        /// With a spec that names an `id` field: skip events whose id the archive already holds in their
        /// hour (`ArchiveIDIndex`), so re-imports and replays store each event once.
        public var skipDuplicateIDs = true
        /// Finish every part sorted by time: a part whose rows came out of order is rewritten once, sorted,
        /// when it is finished (`PartFileWriter`). Live archiving turns it off: its parts keep arrival order.
        public var sortParts = true

        public init() {}
    }
}
