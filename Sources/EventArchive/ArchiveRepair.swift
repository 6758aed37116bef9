import Foundation

/// Finishes or sets aside the `.inprogress` parts a crashed writer left behind.
///
/// An in-progress part whose flushed datasets are consistent (all the same
/// length, series codes inside the dictionary, times inside its hour) is
/// finished exactly as the writer would have: summary attributes computed
/// from the data, sealed, fsync, published as `.h5` (one begun by a writer
/// from before seals has no room for the header and is published unsealed). Anything else is moved to
/// `<root>/<stream>/_quarantine/` with a `.reason.txt` beside it, so nothing
/// is deleted. File-system failures (fsync, rename) are thrown rather than
/// taken as damage. Finished parts are never opened for writing. Run it only while
/// no writer is active on the stream: a live writer's part looks abandoned.
public enum ArchiveRepair {
    public static func repair(root: URL, stream: String) throws -> RepairReport {
        let reader = try ArchiveReader(root: root, stream: stream)
        let streamDirectory = ArchiveLayout.streamDirectory(root: reader.root, stream: stream)
        var report = RepairReport()
        for partition in try ArchiveLayout.partitions(streamDirectory: streamDirectory) {
            for url in try ArchiveLayout.files(in: partition.url, suffix: ArchiveLayout.inProgressSuffix) {
                do {
                    report.recovered.append(try recover(url, partition: partition))
                } catch ArchiveError.corruptPart(_, let reason) {
                    let moved = try quarantine(url, partition: partition, streamDirectory: streamDirectory, reason: reason)
                    report.quarantined.append(QuarantinedPart(original: url, url: moved, reason: reason))
                }
            }
        }
        return report
    }

    private static func recover(_ url: URL, partition: ArchivePartitionDirectory) throws -> URL {
        let part = try PartFileReader(url: url, writable: true)
        guard part.length > 0 else { throw PartFileReader.corrupt(url, "no rows were flushed") }
        let names = try part.seriesNames()
        try part.checkSeriesCodes(dictionarySize: names.count, sliceRows: 65_536)
        let (lo, hi) = try part.timeBounds(sliceRows: 65_536)
        guard lo >= partition.start, hi < partition.start + PartFileSchema.hourMs else {
            throw PartFileReader.corrupt(url, "event times fall outside \(partition.date)/\(partition.hour)")
        }
        try part.writeSummary(timeMin: lo, timeMax: hi)
        try part.close()
        try PartFileSeal.seal(url)
        let base = String(url.lastPathComponent.dropLast(ArchiveLayout.inProgressSuffix.count))
        return try PartFileWriter.publish(url, in: partition.url, baseName: base)
    }

    /// Moves `url` to `_quarantine/<date>_<hour>_<name>` (never replacing
    /// anything) and writes the reason beside it.
    private static func quarantine(
        _ url: URL, partition: ArchivePartitionDirectory, streamDirectory: URL, reason: String
    ) throws -> URL {
        let directory = streamDirectory.appendingPathComponent(ArchiveLayout.quarantine, isDirectory: true)
        try ArchiveFiles.createDirectory(directory)
        let base = "\(partition.date)_\(partition.hour)_\(url.lastPathComponent)"
        for attempt in 0..<1000 {
            let target = directory.appendingPathComponent(attempt == 0 ? base : "\(base).\(attempt)")
            guard try ArchiveFiles.publish(url, as: target) else { continue }
            let note = "original: \(url.path)\nquarantined: \(EventTime.format(Int64(Date().timeIntervalSince1970 * 1000)))\n"
                + "reason: \(reason)\n"
            let noteURL = directory.appendingPathComponent(target.lastPathComponent + ".reason.txt")
            do { try Data(note.utf8).write(to: noteURL, options: .atomic) } catch {
                throw ArchiveError.fileSystem(url: noteURL, reason: "cannot write (\(error.localizedDescription))")
            }
            try ArchiveFiles.fsync(directory)
            try ArchiveFiles.fsync(partition.url)
            return target
        }
        throw ArchiveError.fileSystem(url: url, reason: "no free name in \(directory.path)")
    }
}
