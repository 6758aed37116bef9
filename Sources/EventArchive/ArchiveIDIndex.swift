import Basics
import Foundation

/// The event ids a stream's archive already holds, per UTC hour, so a writer stores each event once: a
/// re-imported file, or events replayed through `serve` with its archive sink, are skipped where their id
/// is already there. Events are taken to keep their time, so an id is looked up in its own hour only: the
/// first time an hour is touched, the ids of its finished parts are read (the id column alone), and every
/// id written since is added. Ids are kept as 64-bit FNV-1a hashes (two distinct ids of one hour share one
/// with a chance of about n²/2^65: 1 in 10^8 for a million events in an hour).
///
/// Hours are forgotten least recently used first beyond `maxHours`, except those with an open part,
/// and read again from their parts when touched again.
struct ArchiveIDIndex {
    let root: URL
    let stream: String
    var maxHours = 48
    private var hours: [Int64: (ids: Set<UInt64>, lastUse: UInt64)] = [:]
    private var clock: UInt64 = 0

    init(root: URL, stream: String) {
        self.root = root
        self.stream = stream
    }

    /// The rows of `batch` to write: all but those whose id the archive (or an earlier row) already holds.
    /// Rows without an id (an empty one) are always kept. `open` are the hours with open parts.
    mutating func newRows(_ batch: EventBatch, open: Set<Int64>) throws -> [Int]? {
        guard let ids = batch.eventIDs else { return nil }
        var keep: [Int] = []
        keep.reserveCapacity(batch.count)
        var skipped = false
        // The hour being filled is taken out of the table while its rows come (a batch's rows mostly share
        // one), so each row costs one hash and one set insert.
        var current: Int64?
        var set = Set<UInt64>()
        func putBack() {
            guard let current else { return }
            clock += 1
            hours[current] = (set, clock)
        }
        for row in 0..<batch.count {
            let id = ids[row]
            if id.isEmpty {
                keep.append(row)
                continue
            }
            let hour = EventTime.hourStart(batch.time[row])
            if hour != current {
                putBack()
                set = try hours.removeValue(forKey: hour)?.ids ?? existing(hour)
                current = hour
            }
            if set.insert(FNV1a.hash64(id)).inserted { keep.append(row) } else { skipped = true }
        }
        putBack()
        forget(keeping: open)
        return skipped ? keep : nil
    }

    /// The ids of the hour's finished parts (none when the stream has no parts yet).
    private func existing(_ hour: Int64) throws -> Set<UInt64> {
        var ids = Set<UInt64>()
        guard let reader = try? ArchiveReader(root: root, stream: stream) else { return ids }
        _ = try reader.read(from: hour, to: hour + 3_600_000, fields: []) { batch in
            for id in batch.eventIDs ?? [] where !id.isEmpty { ids.insert(FNV1a.hash64(id)) }
        }
        return ids
    }

    private mutating func forget(keeping open: Set<Int64>) {
        guard hours.count > maxHours else { return }
        let order = hours.filter { !open.contains($0.key) }.sorted { $0.value.lastUse < $1.value.lastUse }
        for (hour, _) in order.prefix(hours.count - maxHours) { hours[hour] = nil }
    }
}
