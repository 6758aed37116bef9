import ArgumentParser

struct ArchiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Import, inspect, export and repair the partitioned HDF5 event archive.",
        discussion: """
            The archive lives at <archive>/<stream>/date=YYYY-MM-DD/hour=HH/part-*.h5, one
            columnar HDF5 file per part, partitioned by event time (UTC). docs/formats.md
            describes the files well enough to read them with h5py.
            """,
        subcommands: [
            ArchiveImport.self, ArchiveList.self, ArchiveStats.self, ArchiveExport.self, ArchiveRepair.self,
            ArchiveSpecCommand.self,
        ]
    )
}

/// The options every archive command shares.
struct ArchiveLocation: ParsableArguments {
    @Option(help: "Archive root directory.")
    var archive: String = "archive"

    @Option(help: "Stream name (a directory under the archive root).")
    var stream: String
}

/// An optional time window, [from, to).
struct TimeWindow: ParsableArguments {
    @Option(help: "Start of the window, inclusive: RFC 3339 (2026-01-02T00:00:00Z), a date, or epoch ms.")
    var from: String?

    @Option(help: "End of the window, exclusive; same forms as --from.")
    var to: String?

    func bounds() throws -> (Int64?, Int64?) {
        let f = try from.map { try parseTime($0, option: "--from") }
        let t = try to.map { try parseTime($0, option: "--to") }
        if let f, let t, f >= t { throw ValidationError("--from must be earlier than --to") }
        return (f, t)
    }
}
