import CHDF5
import Foundation

/// Process-wide serialisation of HDF5 calls, and the checks that turn HDF5
/// status codes into `HDF5Error`s.
///
/// HDF5 must be treated as not thread-safe: the serial build's global state
/// (identifier tables, caches) must never be touched by two threads at once,
/// and even a thread-safe build only serialises single calls, not sequences
/// like "select a hyperslab, then read". Every HDF5Kit entry point therefore runs under one
/// recursive lock. The lock is recursive so that public methods may call one
/// another; its cost is negligible next to file I/O. `NSRecursiveLock` is used
/// rather than `Synchronization.Mutex` because the package still targets
/// macOS 14, where `Mutex` is unavailable, and because `Mutex` is not reentrant.
enum HDF5Library {
    static let lock = NSRecursiveLock()

    /// Runs `body` while holding the process-wide HDF5 lock.
    ///
    /// It also switches off HDF5's automatic printing of error stacks to
    /// stderr (we report them as `HDF5Error`s). Debian's libhdf5 1.10 is built
    /// with thread-safety enabled, which makes that setting per thread, and
    /// Swift tasks hop between threads; so it is re-applied on every entry,
    /// a call far cheaper than the I/O it guards.
    static func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        _ = H5Eset_auto2(0, nil, nil)  // 0 is H5E_DEFAULT
        return try body()
    }

    /// Takes (and clears) the innermost message of HDF5's error stack.
    static func takeErrorMessage() -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        buffer.withUnsafeMutableBufferPointer { fw_h5e_take_innermost($0.baseAddress) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Returns `id` when valid, otherwise throws with the error-stack message.
    @discardableResult
    static func check(_ id: hid_t, _ operation: @autoclosure () -> String, _ object: @autoclosure () -> String) throws
        -> hid_t
    {
        if id < 0 { throw HDF5Error(operation: operation(), object: object(), detail: takeErrorMessage()) }
        return id
    }

    /// Throws when an `herr_t`/`htri_t` status is negative.
    static func check(status: Int32, _ operation: @autoclosure () -> String, _ object: @autoclosure () -> String) throws {
        if status < 0 { throw HDF5Error(operation: operation(), object: object(), detail: takeErrorMessage()) }
    }

    /// HDF5's "default property list" / "all of the dataspace" identifier.
    static let defaultID: hid_t = 0
}
