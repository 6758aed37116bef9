import Foundation
import HDF5Kit

/// Opens one part file and checks that it is a well-formed archive part:
/// its checksum first (`PartFileSeal`, before libhdf5 reads anything, for
/// read-only opens of finished parts), then format and version attributes,
/// every expected dataset present and 1-D, all of the same length. Any
/// failure, including HDF5 errors from a truncated or foreign file, becomes
/// `ArchiveError.corruptPart` naming it.
final class PartFileReader {
    let url: URL
    let file: HDF5File
    /// The numeric fields in column order (the `fields` attribute).
    let fields: [String]
    /// Rows stored (the common dataset length).
    let length: Int
    private let timeSet: HDF5Dataset
    private let seriesSet: HDF5Dataset
    private let namesSet: HDF5Dataset
    private let fieldSets: [String: HDF5Dataset]
    private let idSet: HDF5Dataset?
    private let partitionSet: HDF5Dataset
    private let offsetSet: HDF5Dataset

    var hasEventIDs: Bool { idSet != nil }
    /// The file as its checksum was verified (nil for writable opens).
    let identity: PartFileSeal.Identity?

    /// `verified`: the identity an earlier open of this part returned; while the file is still that one, its
    /// checksum is not computed again.
    init(url: URL, writable: Bool = false, verified: PartFileSeal.Identity? = nil) throws {
        self.url = url
        let S = PartFileSchema.self
        do {
            // In-progress parts (the writable opens of repair) are not sealed yet.
            identity = writable ? nil : try PartFileSeal.verify(url, unlessStill: verified).identity
            file = try HDF5File(url: url, mode: writable ? .readWrite : .readOnly)
            let format = try file.stringAttribute(S.attrFormat)
            guard format == S.format else { throw Self.corrupt(url, "format is '\(format)', not '\(S.format)'") }
            let version = try file.int32Attribute(S.attrVersion)
            guard version == S.version else { throw Self.corrupt(url, "unsupported format_version \(version)") }
            fields = try file.stringsAttribute(S.attrFields)
            let idField = try file.stringAttribute(S.attrIDField)
            // The writer creates the columns at its first flush; a part without them never flushed a row.
            guard try file.contains(S.time) else { throw Self.corrupt(url, "no rows were flushed (no columns yet)") }
            timeSet = try file.openDataset(S.time)
            seriesSet = try file.openDataset(S.series)
            namesSet = try file.openDataset(S.seriesNames)
            var sets: [String: HDF5Dataset] = [:]
            for f in fields { sets[f] = try file.openDataset(S.field(f)) }
            fieldSets = sets
            idSet = idField.isEmpty ? nil : try file.openDataset(S.eventID)
            partitionSet = try file.openDataset(S.kafkaPartition)
            offsetSet = try file.openDataset(S.kafkaOffset)
            length = try timeSet.count()
            var columns = [(S.series, seriesSet), (S.kafkaPartition, partitionSet), (S.kafkaOffset, offsetSet)]
            columns += fields.compactMap { f in sets[f].map { (S.field(f), $0) } }
            if let idSet { columns.append((S.eventID, idSet)) }
            for (name, set) in columns {
                let n = try set.count()
                if n != length { throw Self.corrupt(url, "dataset '\(name)' has \(n) rows, 'time' has \(length)") }
            }
        } catch {
            throw Self.wrap(url, error)
        }
    }

    /// Reads the summary attributes of a finished part and checks them against the data.
    func summary() throws -> (rows: Int, timeMin: Int64, timeMax: Int64) {
        try guarded {
            let rows = try file.int64Attribute(PartFileSchema.attrRows)
            guard rows == length else { throw Self.corrupt(url, "rows attribute is \(rows) but datasets hold \(length)") }
            let lo = try file.int64Attribute(PartFileSchema.attrTimeMin)
            let hi = try file.int64Attribute(PartFileSchema.attrTimeMax)
            guard lo <= hi || rows == 0 else { throw Self.corrupt(url, "time_min \(lo) is after time_max \(hi)") }
            return (Int(rows), lo, hi)
        }
    }

    func seriesNames() throws -> [String] { try guarded { try namesSet.readStrings() } }

    /// Scans the series codes in slices, checking each indexes the dictionary;
    /// one slice per core is decoded at a time.
    func checkSeriesCodes(dictionarySize: Int, sliceRows: Int) throws {
        try guarded {
            let window = sliceRows * ProcessInfo.processInfo.activeProcessorCount
            for start in stride(from: 0, to: length, by: window) {
                let reads = try stride(from: start, to: min(length, start + window), by: sliceRows).map {
                    try seriesSet.fetch(Int32.self, range: $0..<min(length, $0 + sliceRows))
                }
                HDF5Decode.concurrently(reads)
                for read in reads {
                    if let bad = try read.values().first(where: { $0 < 0 || Int($0) >= dictionarySize }) {
                        throw Self.corrupt(
                            url, "series code \(bad) is outside the dictionary of \(dictionarySize) names")
                    }
                }
            }
        }
    }

    /// The earliest and latest event time, scanning `time` in slices.
    func timeBounds(sliceRows: Int) throws -> (min: Int64, max: Int64) {
        try guarded {
            var lo = Int64.max, hi = Int64.min
            for start in stride(from: 0, to: length, by: sliceRows) {
                for t in try timeSet.fetch(Int64.self, range: start..<min(length, start + sliceRows)).values() {
                    lo = min(lo, t)
                    hi = max(hi, t)
                }
            }
            return (lo, hi)
        }
    }

    /// Reads rows `range` of the time, series, requested fields, ids and Kafka
    /// columns. HDF5 calls stay on this thread and only copy the stored chunks
    /// out; inflating them runs on all cores (`HDF5Decode`).
    func slice(_ range: Range<Int>, fields wanted: [String]) throws -> PartFileSlice {
        try guarded {
            let sets = try wanted.map { f in
                guard let set = fieldSets[f] else { throw Self.corrupt(url, "the part has no field '\(f)'") }
                return set
            }
            let time = try timeSet.fetch(Int64.self, range: range)
            let series = try seriesSet.fetch(Int32.self, range: range)
            let columns = try sets.map { try $0.fetch(Double.self, range: range) }
            let partition = try partitionSet.fetch(Int32.self, range: range)
            let offset = try offsetSet.fetch(Int64.self, range: range)
            let ids = try idSet?.readStrings(range: range)
            HDF5Decode.concurrently([time, series, partition, offset] + columns)
            return PartFileSlice(
                time: try time.values(), series: try series.values(), fields: try columns.map { try $0.values() },
                eventIDs: ids, kafkaPartition: try partition.values(), kafkaOffset: try offset.values())
        }
    }

    /// Writes the summary attributes (used by repair; needs `writable`).
    func writeSummary(timeMin: Int64, timeMax: Int64) throws {
        try guarded {
            try file.setAttribute(PartFileSchema.attrRows, .int64(Int64(length)))
            try file.setAttribute(PartFileSchema.attrTimeMin, .int64(timeMin))
            try file.setAttribute(PartFileSchema.attrTimeMax, .int64(timeMax))
        }
    }

    func close() throws { try guarded { try file.close() } }

    private func guarded<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw Self.wrap(url, error) }
    }

    static func corrupt(_ url: URL, _ reason: String) -> ArchiveError { .corruptPart(url: url, reason: reason) }

    /// Turns HDF5 (and other) errors into `corruptPart`, keeping archive errors as they are.
    private static func wrap(_ url: URL, _ error: Error) -> Error {
        if error is ArchiveError { return error }
        if let h5 = error as? HDF5Error {
            // The part's path is already in the problem; keep only the object inside it.
            let object = h5.object == url.path ? "" : " " + h5.object.replacingOccurrences(of: url.path + ":", with: "")
            let detail = h5.detail.isEmpty ? "" : ": \(h5.detail)"
            return corrupt(url, "cannot \(h5.operation)\(object)\(detail)")
        }
        return corrupt(url, "\(error)")
    }
}
