import Foundation

/// The directory scheme of the archive:
/// `<root>/<stream>/date=YYYY-MM-DD/hour=HH/part-<ms>-<pid>-<seq>.h5`.
/// Part names start with the creation time so they sort by age, and carry the
/// process id and a per-writer sequence so concurrent writers do not collide.
enum ArchiveLayout {
    static let partPrefix = "part-"
    static let partSuffix = ".h5"
    static let inProgressSuffix = ".h5.inprogress"
    static let quarantine = "_quarantine"

    static func streamDirectory(root: URL, stream: String) -> URL {
        root.appendingPathComponent(stream, isDirectory: true)
    }

    static func partitionDirectory(streamDirectory: URL, time: Int64) -> URL {
        let (date, hour) = EventTime.partition(time)
        return streamDirectory.appendingPathComponent(date, isDirectory: true)
            .appendingPathComponent(hour, isDirectory: true)
    }

    /// A fresh base name (without suffix) for the `sequence`-th part of a writer.
    static func partBaseName(sequence: Int) -> String {
        let ms = Int64(Date().timeIntervalSince1970 * 1000)
        let pid = ProcessInfo.processInfo.processIdentifier
        return String(format: "%@%013lld-%d-%06d", partPrefix, ms, pid, sequence)
    }

    /// The stream's partition directories, oldest first; names that are not
    /// partitions (such as `_quarantine`) are ignored.
    static func partitions(streamDirectory: URL) throws -> [ArchivePartitionDirectory] {
        var out: [ArchivePartitionDirectory] = []
        for date in try children(of: streamDirectory) where date.hasPrefix("date=") {
            let dateURL = streamDirectory.appendingPathComponent(date, isDirectory: true)
            for hour in (try? children(of: dateURL)) ?? [] {
                let url = dateURL.appendingPathComponent(hour, isDirectory: true)
                if let p = ArchivePartitionDirectory(url: url, date: date, hour: hour) { out.append(p) }
            }
        }
        return out.sorted { $0.start < $1.start }
    }

    /// Files of a partition directory whose names end with `suffix`, sorted.
    static func files(in directory: URL, suffix: String) throws -> [URL] {
        try children(of: directory)
            .filter { $0.hasPrefix(partPrefix) && $0.hasSuffix(suffix) }
            .map { directory.appendingPathComponent($0, isDirectory: false) }
    }

    private static func children(of directory: URL) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        } catch {
            throw ArchiveError.fileSystem(url: directory, reason: "cannot list the directory (\(error.localizedDescription))")
        }
    }
}
