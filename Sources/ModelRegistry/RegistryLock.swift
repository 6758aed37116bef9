#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Serialises the writers of one model with flock(2) on `<root>/<name>/.lock`.
/// The lock belongs to the open file description, so it excludes other
/// processes and other `Registry` values in this process alike, and the
/// kernel releases it when a writer dies. Readers never take it.
enum RegistryLock {
    static func withLock<T>(_ path: String, _ body: () throws -> T) throws -> T {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RegistryError.io(path: path, reason: "cannot open lock file: \(errnoText())") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw RegistryError.io(path: path, reason: "cannot lock: \(errnoText())") }
        }
        return try body()
    }
}

func errnoText() -> String { String(cString: strerror(errno)) }
