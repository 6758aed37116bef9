import Foundation

/// One `date=YYYY-MM-DD/hour=HH` directory of a stream, with the UTC hour it covers.
struct ArchivePartitionDirectory {
    let url: URL
    let date: String
    let hour: String
    /// Start of the hour, ms since the epoch.
    let start: Int64

    /// Parses the directory names; nil when they are not a valid partition.
    init?(url: URL, date: String, hour: String) {
        guard date.hasPrefix("date="), hour.hasPrefix("hour="), hour.count == 7,
            let day = EventTime.parse(String(date.dropFirst(5))), String(date.dropFirst(5)).count == 10,
            let h = Int(hour.dropFirst(5)), (0..<24).contains(h)
        else { return nil }
        self.url = url
        self.date = date
        self.hour = hour
        self.start = day + Int64(h) * PartFileSchema.hourMs
    }

    /// Whether the hour overlaps the half-open window [from, to).
    func overlaps(from: Int64?, to: Int64?) -> Bool {
        (to.map { start < $0 } ?? true) && (from.map { start + PartFileSchema.hourMs > $0 } ?? true)
    }
}
