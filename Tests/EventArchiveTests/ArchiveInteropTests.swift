import Foundation
import Testing

@testable import EventArchive

/// Proves docs/formats.md: a part written by Forewarn reads with plain h5py.
@Suite struct ArchiveInteropTests {
    static let script = """
        import h5py, json, sys, zlib
        data = open(sys.argv[1], "rb").read()
        with h5py.File(sys.argv[1], "r") as f:
            a = f.attrs
            print(json.dumps({
                "sealed": data[:16] == b"forewarn-part-1\\n" and int.from_bytes(data[16:24], "little") == len(data)
                    and int.from_bytes(data[24:28], "little") == zlib.crc32(data[512:]) and not any(data[28:512]),
                "userblock": f.userblock_size,
                "time": f["time"][:].tolist(),
                "series": f["series"][:].tolist(),
                "series_names": f["series_names"].asstr()[:].tolist(),
                "fare": f["fields/fare"][:].tolist(),
                "distance": f["fields/distance"][:].tolist(),
                "event_id": f["event_id"].asstr()[:].tolist(),
                "kafka_partition": f["kafka_partition"][:].tolist(),
                "kafka_offset": f["kafka_offset"][:].tolist(),
                "format": a["format"], "format_version": int(a["format_version"]),
                "version_dtype": str(a["format_version"].dtype), "stream": a["stream"],
                "spec_hash": a["spec_hash"], "fields": [str(x) for x in a["fields"]],
                "key_field": a["key_field"], "time_field": a["time_field"], "id_field": a["id_field"],
                "rows": int(a["rows"]), "time_min": int(a["time_min"]), "time_max": int(a["time_max"]),
                "str_types": [type(a[k]).__name__ for k in ("format", "stream", "id_field")],
                "compression": f["time"].compression, "shuffle": f["time"].shuffle,
                "chunks": list(f["time"].chunks), "maxshape": list(f["time"].maxshape),
            }))
        """

    @Test(.enabled(if: ArchiveFixture.hasH5py))
    func h5pyReadsAPartAsDocumented() throws {
        let tmp = try ArchiveTempRoot()
        let spec = try ArchiveFixture.spec()
        let writer = try ArchiveWriter(root: tmp.url, spec: spec)
        var b = EventBatchBuilder(fieldNames: ["fare", "distance"], withEventIDs: true)
        let t0 = ArchiveFixture.start
        b.append(time: t0 + 5, series: "zürich", values: [12.5, 3.0], eventID: "id-1")
        b.append(time: t0 + 1, series: "bern", values: [-1.25, 0.5], eventID: "id-2 ✓")
        b.append(time: t0 + 9, series: "zürich", values: [7.0, 1e-3], eventID: "")
        try writer.append(b.batch)
        let part = try #require(try writer.close().first)

        let output = try ArchiveFixture.runPython(Self.script, [part.path])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(json["sealed"] as? Bool == true && json["userblock"] as? Int == 512, "the integrity header checks out in Python")
        // Rows arrived at t0+5, t0+1, t0+9; the finished part holds them in time order.
        #expect(json["time"] as? [Int64] == [t0 + 1, t0 + 5, t0 + 9])
        #expect(json["series"] as? [Int32] == [1, 0, 0])
        #expect(json["series_names"] as? [String] == ["zürich", "bern"])
        #expect(json["fare"] as? [Double] == [-1.25, 12.5, 7.0])
        #expect(json["distance"] as? [Double] == [0.5, 3.0, 1e-3])
        #expect(json["event_id"] as? [String] == ["id-2 ✓", "id-1", ""])
        #expect(json["kafka_partition"] as? [Int32] == [-1, -1, -1])
        #expect(json["kafka_offset"] as? [Int64] == [-1, -1, -1])
        #expect(json["format"] as? String == "forewarn-archive")
        #expect(json["format_version"] as? Int == 1 && json["version_dtype"] as? String == "int32")
        #expect(json["stream"] as? String == "taxi")
        #expect(json["spec_hash"] as? String == spec.specHash)
        #expect(json["fields"] as? [String] == ["fare", "distance"])
        #expect(json["key_field"] as? String == "zone")
        #expect(json["time_field"] as? String == "ts")
        #expect(json["id_field"] as? String == "trip")
        #expect(json["rows"] as? Int == 3)
        #expect(json["time_min"] as? Int64 == t0 + 1 && json["time_max"] as? Int64 == t0 + 9)
        #expect(json["str_types"] as? [String] == ["str", "str", "str"])
        #expect(json["compression"] as? String == "gzip" && json["shuffle"] as? Bool == true)
        #expect(json["chunks"] as? [Int] == [1_024], "a part finished at its first flush gets chunks sized to its rows")
        #expect((json["maxshape"] as? [Any])?.first is NSNull)
    }

    /// Parts written before integrity headers (plain HDF5 from offset 0) are still read, unchecked.
    @Test(.enabled(if: ArchiveFixture.hasH5py))
    func aPartWithoutTheIntegrityHeaderStillReads() throws {
        let tmp = try ArchiveTempRoot()
        let writer = try ArchiveWriter(root: tmp.url, spec: try ArchiveFixture.spec())
        try writer.append(ArchiveFixture.batch(rows: 500))
        let part = try #require(try writer.close().first)
        let (before, _) = try ArchiveFixture.readAll(tmp.url)
        let plain = part.deletingLastPathComponent().appendingPathComponent("part-plain.h5")
        _ = try ArchiveFixture.runPython(
            """
            import h5py, sys
            with h5py.File(sys.argv[1], "r") as s, h5py.File(sys.argv[2], "w") as d:
                for k in s: s.copy(k, d)
                for k in s.attrs: d.attrs.create(k, s.attrs[k], dtype=s.attrs.get_id(k).dtype)
            """, [part.path, plain.path])
        try FileManager.default.removeItem(at: part)
        #expect(try PartFileSeal.verify(plain) == .unsealed)
        let (after, report) = try ArchiveFixture.readAll(tmp.url)
        #expect(report.problems.isEmpty && after.count == 500)
        #expect(after.map(\.id) == before.map(\.id) && after.map(\.values) == before.map(\.values))
    }
}
