/// What the archive-reading commands say about damaged parts, in one wording.
enum ArchiveHelp {
    static let damagedParts = """
        Each part is checked against its checksum before it is read: a damaged or unreadable part is named on \
        standard error with the reason ('skipped corrupt part: PATH: REASON'), its rows are left out, and the exit \
        status is 2.
        """
}
