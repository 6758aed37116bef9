import ArgumentParser
import CHDF5
import COpenBLAS
import CRdKafka
import CDeflate
import CZlib
import Foundation

enum ForewarnVersion {
    static let string = "0.1.0"
}

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print Forewarn's version and the native libraries it runs on."
    )

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
        H5get_libversion(&major, &minor, &release)
        let libs: [(String, String)] = [
            ("forewarn", ForewarnVersion.string),
            ("hdf5", "\(major).\(minor).\(release)"),
            ("librdkafka", String(cString: rd_kafka_version_str())),
            ("openblas", String(cString: openblas_get_config()).trimmingCharacters(in: .whitespaces)),
            ("zlib", String(cString: zlibVersion())),
            ("libdeflate", LIBDEFLATE_VERSION_STRING),
        ]
        if json {
            let object = Dictionary(uniqueKeysWithValues: libs)
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            for (name, version) in libs { print("\(name.padding(toLength: 11, withPad: " ", startingAt: 0)) \(version)") }
        }
    }
}
