import Foundation
import Logging
import Synchronization
import Testing

@testable import Scoring

/// A stop's last bound holds even when nothing on the cooperative pool can run: the watchdog's own thread
/// ends the process (here: calls the test's stand-in for `_exit`) with the status the stop earned.
@Suite struct StopWatchdogTests {
    final class Expiries: Sendable {
        let statuses = Mutex<[Int32]>([])
        let fired = DispatchSemaphore(value: 0)
        func record(_ status: Int32) {
            statuses.withLock { $0.append(status) }
            fired.signal()
        }
    }

    let logger = Logger(label: "test.watchdog", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test func aStopStillRunningAtItsBoundEndsWithTheLatestStatus() {
        let expiries = Expiries()
        let dog = StopWatchdog(bound: .milliseconds(200), status: 7, reason: "asked to stop", logger: logger, expire: expiries.record)
        dog.update(status: 5, reason: "no broker reachable")
        // Blocks this thread the way a stalled call blocks a pool thread: the watchdog does not need it.
        #expect(expiries.fired.wait(timeout: .now() + 10) == .success)
        #expect(expiries.statuses.withLock { $0 } == [5])
    }

    @Test func aStopThatEndedInTimeEndsNothing() {
        let expiries = Expiries()
        let dog = StopWatchdog(bound: .milliseconds(200), status: 7, reason: "asked to stop", logger: logger, expire: expiries.record)
        dog.disarm()
        #expect(expiries.fired.wait(timeout: .now() + 1) == .timedOut)
        #expect(expiries.statuses.withLock { $0 }.isEmpty)
    }
}
