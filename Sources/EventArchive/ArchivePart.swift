import Foundation

/// A finished part file, as listed by `ArchiveReader.parts`.
public struct ArchivePart: Sendable, Equatable {
    public let url: URL
    /// The partition directory names, e.g. `date=2026-11-24` and `hour=10`.
    public let date: String
    public let hour: String
    public let rows: Int
    /// Earliest and latest event time in the part, ms since the epoch (UTC).
    public let timeMin: Int64
    public let timeMax: Int64
    /// Size of the file on disk.
    public let bytes: Int64
    /// The numeric fields stored, in column order (the `fields` attribute).
    let fieldNames: [String]
    /// The file as the listing verified it, so reading it does not compute its checksum again.
    let verified: PartFileSeal.Identity?
}
