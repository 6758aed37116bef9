import Foundation

/// Write end of the self-pipe the signal handler writes to. Set once, before the handlers are installed,
/// and only read afterwards (write(2) is async-signal-safe), hence `nonisolated(unsafe)`.
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

/// Blocks the calling thread until SIGINT or SIGTERM arrives, whichever thread the kernel delivers it to.
enum SignalWait {
    /// Returns the signal number that ended the wait.
    static func untilInterruptedOrTerminated() throws -> Int32 {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw CommandFailure("cannot create a pipe: \(String(cString: strerror(errno)))") }
        signalPipeWriteEnd = fds[1]
        for sig in [SIGINT, SIGTERM] {
            signal(sig) { received in
                var byte = UInt8(truncatingIfNeeded: received)
                _ = write(signalPipeWriteEnd, &byte, 1)
            }
        }
        var byte: UInt8 = 0
        while read(fds[0], &byte, 1) != 1 {
            if errno != EINTR { throw CommandFailure("waiting for a signal failed: \(String(cString: strerror(errno)))") }
        }
        return Int32(byte)
    }
}
