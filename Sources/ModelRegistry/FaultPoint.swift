/// The steps between which a mutation can be interrupted. The registry calls
/// `Registry.faultHook` at each one; tests throw from it to simulate a crash
/// there and then check that a fresh registry on the same root is consistent.
public enum FaultPoint: String, CaseIterable, Sendable {
    /// A new version is complete and fsynced under its temporary name.
    case versionStaged
    /// The version directory has its final name; history does not know it yet.
    case versionPublished
    /// The register line is in history.
    case registerRecorded
    /// An alias file holds its new target; history does not know it yet.
    case aliasWritten
    /// A pruned version is out of sight under a temporary name, not yet deleted or recorded.
    case versionRetired
    /// A pruned shard run is out of sight under a temporary name, not yet recorded or deleted.
    case shardRunRetired
}
