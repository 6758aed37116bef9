import Foundation
import HDF5Kit
import Testing

/// A unique temporary directory, removed when the test ends.
final class TempDir {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("hdf5kit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> String { url.appendingPathComponent(name).path }
    deinit { try? FileManager.default.removeItem(at: url) }
}

@Suite struct HDF5KitTests {
    @Test func numericDatasetsAppendAndReadSlices() throws {
        let dir = try TempDir()
        let path = dir.file("n.h5")
        do {
            let file = try HDF5File(path: path, mode: .createExclusive)
            let t = try file.createDataset("time", type: .int64, chunkRows: 100)
            let c = try file.createDataset("codes", type: .int32, chunkRows: 100)
            let v = try file.createDataset("fields/value", type: .double, chunkRows: 100)
            for block in 0..<5 {
                let base = Int64(block * 250)
                try t.append((0..<250).map { base + Int64($0) })
                try c.append((0..<250).map { Int32(truncatingIfNeeded: base + Int64($0)) })
                try v.append((0..<250).map { Double(base + Int64($0)) / 4 })
                try file.flush()
            }
            try file.close()
        }
        let file = try HDF5File(path: path, mode: .readOnly)
        let t = try file.openDataset("time")
        #expect(try t.count() == 1250)
        #expect(try t.read(Int64.self) == (0..<1250).map { Int64($0) })
        #expect(try t.read(Int64.self, range: 990..<1010) == (990..<1010).map { Int64($0) })
        #expect(try t.read(Int64.self, range: 5..<5).isEmpty)
        #expect(try file.openDataset("codes").read(Int32.self, range: 1200..<1250) == (1200..<1250).map { Int32($0) })
        #expect(try file.openDataset("fields/value").read(Double.self, range: 3..<5) == [0.75, 1.0])
        #expect(try file.contains("fields/value"))
        #expect(try !file.contains("fields/missing"))
        #expect(try !file.contains("nope/value"))
        #expect(try file.openDataset("codes").elementType() == .int32)
        // Int32 columns widen losslessly to Int64.
        #expect(try file.openDataset("codes").read(Int64.self, range: 0..<2) == [0, 1])
    }

    @Test func stringDatasetsRoundTripUTF8() throws {
        let dir = try TempDir()
        let path = dir.file("s.h5")
        let values = ["", "plain", "ünïcødé ✓", String(repeating: "x", count: 5000), "日本語"]
        do {
            let file = try HDF5File(path: path, mode: .truncate)
            let s = try file.createDataset("names", type: .string, chunkRows: 2)
            try s.append(Array(values[0..<2]))
            try s.append(Array(values[2...]))
        }
        let file = try HDF5File(path: path, mode: .readOnly)
        let s = try file.openDataset("names")
        #expect(try s.readStrings() == values)
        #expect(try s.readStrings(range: 2..<4) == Array(values[2..<4]))
        #expect(try s.elementType() == .string)
    }

    @Test func attributesOfEveryKindRoundTripAndReplace() throws {
        let dir = try TempDir()
        let path = dir.file("a.h5")
        do {
            let file = try HDF5File(path: path, mode: .createExclusive)
            try file.setAttribute("i64", .int64(-9_000_000_000))
            try file.setAttribute("i32", .int32(7))
            try file.setAttribute("d", .double(2.5))
            try file.setAttribute("s", .string("hello ✓"))
            try file.setAttribute("list", .strings(["a", "", "ç"]))
            try file.setAttribute("empty", .strings([]))
            try file.setAttribute("s", .string("replaced"))
            let g = try file.createGroup("g/h")
            try g.setAttribute("inner", .int32(1))
        }
        let file = try HDF5File(path: path, mode: .readOnly)
        #expect(try file.int64Attribute("i64") == -9_000_000_000)
        #expect(try file.int32Attribute("i32") == 7)
        #expect(try file.int64Attribute("i32") == 7)
        #expect(try file.doubleAttribute("d") == 2.5)
        #expect(try file.stringAttribute("s") == "replaced")
        #expect(try file.stringsAttribute("list") == ["a", "", "ç"])
        #expect(try file.stringsAttribute("empty") == [])
        #expect(try file.hasAttribute("s"))
        #expect(try !file.hasAttribute("absent"))
        #expect(try file.openGroup("g/h").attribute("inner") == .int32(1))
    }

    @Test func wrongTypesAndMissingObjectsAreErrorsNamingTheObject() throws {
        let dir = try TempDir()
        let path = dir.file("w.h5")
        let file = try HDF5File(path: path, mode: .createExclusive)
        let d = try file.createDataset("x", type: .double)
        try d.append([1.0, 2.0])
        try file.setAttribute("s", .string("text"))
        let typeError = #expect(throws: HDF5Error.self) { try d.read(Int64.self) }
        #expect(typeError?.description.contains("w.h5:/x") == true)
        #expect(typeError?.detail.contains("float64") == true)
        #expect(throws: HDF5Error.self) { try d.readStrings() }
        #expect(throws: HDF5Error.self) { try d.append([Int32(1)]) }
        #expect(throws: HDF5Error.self) { try d.read(Double.self, range: 1..<3) }
        #expect(throws: HDF5Error.self) { try file.int64Attribute("s") }
        #expect(throws: HDF5Error.self) { try file.stringAttribute("absent") }
        let missing = #expect(throws: HDF5Error.self) { try file.openDataset("nope") }
        #expect(missing?.detail.isEmpty == false)
        #expect(throws: HDF5Error.self) { try file.createDataset("x", type: .int64) }
        try file.close()
        let closed = #expect(throws: HDF5Error.self) { try d.count() }
        #expect(closed?.detail.contains("closed") == true)
    }

    @Test func openingMissingGarbageOrExistingFilesFails() throws {
        let dir = try TempDir()
        let missing = #expect(throws: HDF5Error.self) { try HDF5File(path: dir.file("none.h5"), mode: .readOnly) }
        #expect(missing?.description.contains("none.h5") == true)
        #expect(missing?.detail.isEmpty == false)
        let garbage = dir.file("garbage.h5")
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }).write(to: URL(fileURLWithPath: garbage))
        let bad = #expect(throws: HDF5Error.self) { try HDF5File(path: garbage, mode: .readOnly) }
        #expect(bad?.detail.contains("signature") == true)
        _ = try HDF5File(path: dir.file("e.h5"), mode: .createExclusive)
        #expect(throws: HDF5Error.self) { try HDF5File(path: dir.file("e.h5"), mode: .createExclusive) }
    }

    @Test func shuffleAndDeflateCompressRegularColumns() throws {
        let dir = try TempDir()
        let path = dir.file("c.h5")
        do {
            let file = try HDF5File(path: path, mode: .createExclusive)
            try file.createDataset("t", type: .int64, chunkRows: 65_536).append((0..<200_000).map { Int64($0) * 1000 })
        }
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        #expect(size > 0 && size < 1_600_000 / 4)
        #expect(try HDF5File(path: path, mode: .readOnly).openDataset("t").read(Int64.self, range: 199_999..<200_000)
            == [199_999_000])
    }

    @Test func concurrentTasksAreSerialisedSafely() async throws {
        let dir = try TempDir()
        let paths = (0..<4).map { dir.file("p\($0).h5") }
        try await withThrowingTaskGroup(of: Int.self) { group in
            for (i, path) in paths.enumerated() {
                group.addTask {
                    let file = try HDF5File(path: path, mode: .createExclusive)
                    let d = try file.createDataset("v", type: .int64, chunkRows: 64)
                    for k in 0..<50 { try d.append((0..<64).map { Int64(i * 1_000_000 + k * 64 + $0) }) }
                    try file.close()
                    return try HDF5File(path: path, mode: .readOnly).openDataset("v").count()
                }
            }
            for try await n in group { #expect(n == 3200) }
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func rankIsValidatedOnFilesWrittenElsewhere() throws {
        let dir = try TempDir()
        let path = dir.file("py.h5")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", "import h5py,sys,numpy; f=h5py.File(sys.argv[1],'w'); f['m']=numpy.zeros((2,3)); "
            + "f['u']=numpy.arange(3,dtype='uint64'); f.attrs['fixed']=numpy.bytes_(b'abc')", path]
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0)
        let file = try HDF5File(path: path, mode: .readOnly)
        let rank = #expect(throws: HDF5Error.self) { try file.openDataset("m").read(Double.self) }
        #expect(rank?.detail.contains("rank 2") == true)
        #expect(throws: HDF5Error.self) { try file.openDataset("u").read(Int64.self) }
        #expect(try file.stringAttribute("fixed") == "abc")
    }
}
