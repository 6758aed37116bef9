import Foundation

/// Write end of the self-pipe the signal handler writes to. Set once, before the handlers are installed,
/// and only read afterwards (write(2) is async-signal-safe), hence `nonisolated(unsafe)`.
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

/// SIGINT and SIGTERM caught through a self-pipe, whichever thread the kernel delivers them to.
/// Create it before announcing readiness, so a signal sent right after the announcement is not lost.
struct SignalWait {
    private let readEnd: Int32

    init() throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw CommandFailure("cannot create a pipe: \(String(cString: strerror(errno)))") }
        readEnd = fds[0]
        signalPipeWriteEnd = fds[1]
        for sig in [SIGINT, SIGTERM] {
            signal(sig) { received in
                var byte = UInt8(truncatingIfNeeded: received)
                _ = write(signalPipeWriteEnd, &byte, 1)
            }
        }
    }

    /// Blocks until one of the signals arrived (or already had); returns its number.
    func wait() throws -> Int32 {
        var byte: UInt8 = 0
        while read(readEnd, &byte, 1) != 1 {
            if errno != EINTR { throw CommandFailure("waiting for a signal failed: \(String(cString: strerror(errno)))") }
        }
        return Int32(byte)
    }
}
