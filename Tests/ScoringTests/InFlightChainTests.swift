import Foundation
import Testing

@testable import Scoring

/// Commits stay in consumption order while several batches are in flight.
@Suite struct InFlightChainTests {
    @Test func commitsFollowConsumptionOrderWhenSinksFinishOutOfOrder() async throws {
        let chain = InFlightChain()
        let gates = (0..<4).map { _ in Gate() }
        let started = Recorder<Int>(), finished = Recorder<Int>(), commits = Recorder<Int>()
        for i in 0..<4 {
            chain.append(
                work: {
                    started.append(i)
                    await gates[i].wait()
                    finished.append(i)
                    return true
                },
                commit: { commits.append(i) })
        }
        #expect(chain.pending == 4)
        try await waitFor { started.values.count == 4 }  // all four write at once
        for i in [3, 2, 1] { gates[i].open() }
        try await waitFor { finished.values.count == 3 }
        try await Task.sleep(for: .milliseconds(50))
        #expect(commits.values.isEmpty, "no commit passes the oldest batch, still writing")
        gates[0].open()
        await chain.drain()
        #expect(finished.values == [3, 2, 1, 0])
        #expect(commits.values == [0, 1, 2, 3])
        #expect(chain.pending == 0)
    }

    @Test func aLinkWhoseWorkFailsDoesNotCommitAndTheNextStillWaitsForIt() async throws {
        let chain = InFlightChain()
        let gate = Gate()
        let commits = Recorder<Int>(), finished = Recorder<Int>()
        chain.append(
            work: {
                await gate.wait()
                finished.append(0)
                return false
            },
            commit: { commits.append(0) })
        chain.append(work: { finished.append(1); return true }, commit: { commits.append(1) })
        chain.append(work: { finished.append(2); return true }, commit: { commits.append(2) })
        try await waitFor { finished.values.count == 2 }
        try await Task.sleep(for: .milliseconds(50))
        #expect(commits.values.isEmpty, "later links wait for the undelivered one")
        gate.open()
        await chain.drain()
        #expect(commits.values == [1, 2], "the undelivered link commits nothing; the others commit in order")
    }

    @Test func aFailingSinkIsRetriedAloneAndItsBatchStillCommitsFirst() async throws {
        let chain = InFlightChain()
        let metrics = ServeMetrics()
        let flaky = FlakySink(failing: [0], failures: 2)
        let steady = FlakySink(name: "steady", failing: [], failures: 0)
        let fanOut = SinkFanOut(sinks: [flaky, steady], metrics: metrics)
        let delivered = Recorder<Int>(), commits = Recorder<Int>()
        for i in 0..<3 {
            let batch = {
                var b = ScoredBatch()
                b.sequence = i
                return b
            }()
            chain.append(
                work: {
                    let ok = await fanOut.writeUntilDelivered(batch)
                    delivered.append(i)
                    return ok
                },
                commit: { commits.append(i) })
        }
        await chain.drain()
        #expect(delivered.values.last == 0, "batch 0 waited out its sink's failures while 1 and 2 were written")
        #expect(commits.values == [0, 1, 2])
        #expect(flaky.attempts == [0: 3, 1: 1, 2: 1])
        #expect(steady.attempts == [0: 1, 1: 1, 2: 1], "a sink that succeeded is not written again")
        #expect(metrics.counter("forewarn_sink_errors_total", labels: "sink=\"flaky\"") == 2)
    }

    @Test func waitingBelowALimitIsBackPressure() async throws {
        let chain = InFlightChain()
        let gates = (0..<3).map { _ in Gate() }
        for i in 0..<3 { chain.append(work: { await gates[i].wait(); return true }, commit: {}) }
        #expect(await chain.wait(below: 2, timeout: .milliseconds(50)) == false)
        #expect(await Self.offThePool { chain.drainBlocking(timeout: .milliseconds(50)) } == false)
        gates[0].open()
        gates[1].open()
        #expect(await chain.wait(below: 2, timeout: .seconds(10)))
        gates[2].open()
        #expect(await Self.offThePool { chain.drainBlocking(timeout: .seconds(10)) })
        #expect(chain.pending == 0)
    }

    /// Runs a blocking call on a thread of its own, as its real caller (the Kafka poll thread) does: blocking
    /// one of the few cooperative threads would starve the links it waits for when other tests block the rest.
    static func offThePool(_ call: @escaping @Sendable () -> Bool) async -> Bool {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: call()) }.start()
        }
    }
}
