import ArgumentParser
import Foundation
import HDF5Kit
import Kafka
import LinearAlgebra
import Training

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print Forewarn's version and the native libraries it runs on."
    )

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let libs: [(String, String)] = [
            ("forewarn", ForewarnVersion.string), ("hdf5", HDF5Versions.hdf5), ("librdkafka", KafkaLibrary.version),
            ("openblas", BLASInfo.configuration), ("zlib", HDF5Versions.zlib), ("libdeflate", HDF5Versions.libdeflate),
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
