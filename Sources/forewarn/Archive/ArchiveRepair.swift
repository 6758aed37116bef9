import ArgumentParser
import EventArchive
import Foundation

struct ArchiveRepair: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Recover or quarantine the in-progress parts a crashed writer left behind.",
        discussion: """
            An in-progress part (part-*.h5.inprogress) that is consistent is finalised and
            becomes a normal part; one that is not is moved to
            <archive>/<stream>/_quarantine/ with a .reason.txt beside it. Finished parts
            are never touched. Safe to run twice; do not run it while a writer is still
            writing that stream.
            """
    )

    @OptionGroup var location: ArchiveLocation

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let root = URL(fileURLWithPath: location.archive)
        _ = try openReader(location)
        let report = try EventArchive.ArchiveRepair.repair(root: root, stream: location.stream)
        if json {
            try printJSON([
                "recovered": report.recovered.map(\.path),
                "quarantined": report.quarantined.map { ["path": $0.url.path, "reason": $0.reason] },
            ])
        } else {
            for url in report.recovered { print("recovered    \(url.path)") }
            for q in report.quarantined { print("quarantined  \(q.url.path): \(q.reason)") }
            print("\(report.recovered.count) recovered, \(report.quarantined.count) quarantined")
        }
    }
}
