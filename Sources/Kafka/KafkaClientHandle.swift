import CRdKafka

/// An owned `rd_kafka_t` and the callbacks object its C callbacks reach.
///
/// Lifetime: `init` retains `callbacks` once (the opaque pointer handed to librdkafka); `deinit` calls
/// `rd_kafka_destroy` and only then releases that retain, so no callback can see a freed object.
final class KafkaClientHandle: Sendable {
    // Safety: librdkafka documents `rd_kafka_t` as thread-safe: its API may be called from any thread.
    // The pointer itself never changes and is destroyed only in deinit, when no other reference exists.
    nonisolated(unsafe) let rk: OpaquePointer
    let callbacks: KafkaCallbacks
    /// Set when a consumer close gave up at its deadline: `rd_kafka_destroy` would otherwise close it again,
    /// waiting on the same unreachable coordinator with no timeout.
    private let noConsumerClose = KafkaLock(false)

    enum Kind { case consumer, producer }

    init(_ kind: Kind, properties: [(String, String)], callbacks: KafkaCallbacks) throws {
        let conf = rd_kafka_conf_new()!
        var failure: KafkaError?
        for (name, value) in properties where failure == nil {
            failure = Self.set(conf, name, value)
        }
        if let failure {
            rd_kafka_conf_destroy(conf)
            throw failure
        }
        switch kind {
        case .consumer: CallbackBridge.installConsumer(conf)
        case .producer: CallbackBridge.installProducer(conf)
        }
        rd_kafka_conf_set_opaque(conf, Unmanaged.passRetained(callbacks).toOpaque())
        var text = ErrorBuffer()
        guard let rk = rd_kafka_new(kind == .consumer ? RD_KAFKA_CONSUMER : RD_KAFKA_PRODUCER, conf, &text.bytes, text.size)
        else {
            rd_kafka_conf_destroy(conf)  // not taken over on failure
            Unmanaged.passUnretained(callbacks).release()
            throw KafkaError(code: .invalidArgument, message: text.text)
        }
        self.rk = rk
        self.callbacks = callbacks
    }

    deinit {
        rd_kafka_destroy_flags(rk, noConsumerClose.withLock { $0 } ? RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE : 0)
        callbacks.finish()
        Unmanaged.passUnretained(callbacks).release()
    }

    func skipConsumerClose() { noConsumerClose.withLock { $0 = true } }

    private static func set(_ conf: OpaquePointer, _ name: String, _ value: String) -> KafkaError? {
        var text = ErrorBuffer()
        guard rd_kafka_conf_set(conf, name, value, &text.bytes, text.size) != RD_KAFKA_CONF_OK else { return nil }
        return KafkaError(code: .invalidArgument, message: "\(name)=\(value): \(text.text)")
    }

    /// Defaults first, then the caller's properties, which win.
    static func merge(_ defaults: [(String, String)], _ overrides: [String: String]) -> [(String, String)] {
        defaults.filter { overrides[$0.0] == nil } + overrides.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// librdkafka's fatal error, if the instance has raised one.
    func fatalError() -> KafkaError? {
        var text = ErrorBuffer()
        let err = rd_kafka_fatal_error(rk, &text.bytes, text.size)
        guard err != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        var error = KafkaError(err, message: text.text)
        error.isFatal = true
        return error
    }
}
