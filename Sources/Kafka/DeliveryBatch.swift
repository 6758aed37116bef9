import CRdKafka

/// The delivery reports of one `send` batch, gathered on the producer's poll thread.
///
/// Every enqueued message carries this object's unretained address as its opaque; `send` keeps one
/// `Unmanaged` retain for as long as any report is outstanding, released by whichever call brings
/// `remaining` to zero. The awaiting task resumes once, with all reports or with the first error.
final class DeliveryBatch: Sendable {
    private struct State: Sendable {
        var remaining: Int
        var reports: [KafkaPartitionOffset] = []
        var firstError: KafkaError?
        var failed = 0
        var waiter: CheckedContinuation<[KafkaPartitionOffset], Error>?
    }

    private let state: KafkaLock<State>

    init(count: Int) {
        precondition(count > 0, "a delivery batch holds at least one message")
        state = KafkaLock(State(remaining: count))
        _ = Unmanaged.passRetained(self)  // released when `remaining` reaches zero
    }

    var opaque: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// The dr_msg_cb for one message.
    func report(_ message: rd_kafka_message_t) {
        if message.err == RD_KAFKA_RESP_ERR_NO_ERROR {
            let topic = message.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
            complete(1, .success(KafkaPartitionOffset(topic: topic, partition: message.partition, offset: message.offset)))
        } else {
            let text = String(cString: rd_kafka_err2str(message.err))
            complete(1, .failure(KafkaError(message.err, message: "delivery failed: \(text)")))
        }
    }

    /// Messages that never reached librdkafka's queue count as failed with `error`.
    func abandon(_ count: Int, _ error: KafkaError) {
        if count > 0 { complete(count, .failure(error)) }
    }

    private func complete(_ count: Int, _ outcome: Result<KafkaPartitionOffset, KafkaError>) {
        typealias Outcome = (Bool, CheckedContinuation<[KafkaPartitionOffset], Error>?, Result<[KafkaPartitionOffset], Error>?)
        let (finished, waiter, result) = state.withLock { s -> Outcome in
            s.remaining -= count
            switch outcome {
            case .success(let report): s.reports.append(report)
            case .failure(let error):
                s.failed += count
                if s.firstError == nil { s.firstError = error }
            }
            let finished = s.remaining == 0
            let waiter = finished ? s.waiter : nil
            if finished { s.waiter = nil }
            return (finished, waiter, finished ? Self.result(s) : nil)
        }
        guard finished else { return }
        if let waiter, let result { waiter.resume(with: result) }
        Unmanaged.passUnretained(self).release()
    }

    private static func result(_ s: State) -> Result<[KafkaPartitionOffset], Error> {
        guard let error = s.firstError else { return .success(s.reports) }
        let total = s.failed + s.reports.count
        return .failure(KafkaError(code: error.code, message: "\(error.message) (\(s.failed) of \(total) messages failed)"))
    }

    /// Returns once every message of the batch has its report.
    func wait() async throws -> [KafkaPartitionOffset] {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<[KafkaPartitionOffset], Error>? = state.withLock { s in
                if s.remaining == 0 { return Self.result(s) }
                s.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
