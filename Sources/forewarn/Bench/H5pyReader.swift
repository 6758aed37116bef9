import ArgumentParser
import Foundation

/// Times h5py reading every dataset of the given parts, in a child process, for a side-by-side figure.
enum H5pyReader {
    static let script = """
        import sys, time, h5py
        paths = [l.strip() for l in sys.stdin if l.strip()]
        t0 = time.perf_counter(); rows = 0
        for p in paths:
            with h5py.File(p, "r") as f:
                rows += len(f["time"][:])
                f["series"][:]; f["kafka_partition"][:]; f["kafka_offset"][:]
                for name in f["fields"]: f["fields"][name][:]
        print(time.perf_counter() - t0, rows)
        """

    static func time(parts: [String]) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(parts.joined(separator: "\n").utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let fields = String(decoding: data, as: UTF8.self).split(separator: " ")
        guard process.terminationStatus == 0, let seconds = fields.first.flatMap({ Double($0) }) else {
            throw ValidationError("h5py comparison failed (is python3-h5py installed?)")
        }
        return seconds
    }
}
