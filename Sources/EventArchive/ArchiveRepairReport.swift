import Foundation

/// What `ArchiveRepair.repair` did.
public struct RepairReport: Sendable {
    /// Finished parts made from recovered in-progress parts.
    public var recovered: [URL] = []
    /// In-progress parts moved aside because they were unusable.
    public var quarantined: [QuarantinedPart] = []

    public init(recovered: [URL] = [], quarantined: [QuarantinedPart] = []) {
        self.recovered = recovered
        self.quarantined = quarantined
    }
}
