#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An alias file's identity: device, inode, size and modification time. An
/// alias is only ever changed by renaming a new file over it, so a changed
/// target always means a new inode.
public struct AliasStamp: Equatable, Hashable, Sendable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    public var modifiedNanoseconds: Int64

    init?(path: String) {
        var s = stat()
        guard stat(path, &s) == 0 else { return nil }
        device = UInt64(s.st_dev)
        inode = UInt64(s.st_ino)
        size = Int64(s.st_size)
        #if canImport(Darwin)
            let t = s.st_mtimespec
        #else
            let t = s.st_mtim
        #endif
        modifiedNanoseconds = Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec)
    }
}
