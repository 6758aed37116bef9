import CRdKafka

/// A failure reported by librdkafka, or by this layer in librdkafka's terms.
///
/// `code` is the `rd_kafka_resp_err_t` value, `codeName` its name as `rd_kafka_err2name` spells it
/// (`MSG_TIMED_OUT`, `_TRANSPORT`, ...), `message` the human text.
public struct KafkaError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: KafkaErrorCode
    public let codeName: String
    public let message: String
    /// The operation may succeed if retried (transactional API errors carry this flag).
    public var isRetriable = false
    /// The client instance is unusable and must be recreated.
    public var isFatal = false
    /// The current transaction must be aborted before the producer can go on.
    public var requiresAbort = false

    public init(code: KafkaErrorCode, message: String? = nil) {
        self.code = code
        let raw = rd_kafka_resp_err_t(code.rawValue)
        codeName = String(cString: rd_kafka_err2name(raw))
        self.message = message ?? String(cString: rd_kafka_err2str(raw))
    }

    init(_ raw: rd_kafka_resp_err_t, message: String? = nil) {
        self.init(code: KafkaErrorCode(rawValue: raw.rawValue), message: message)
    }

    /// Takes ownership of an `rd_kafka_error_t` and destroys it.
    init(consuming error: OpaquePointer) {
        defer { rd_kafka_error_destroy(error) }
        self.init(rd_kafka_error_code(error), message: String(cString: rd_kafka_error_string(error)))
        isRetriable = rd_kafka_error_is_retriable(error) != 0
        isFatal = rd_kafka_error_is_fatal(error) != 0
        requiresAbort = rd_kafka_error_txn_requires_abort(error) != 0
    }

    /// Throws the error an `rd_kafka_error_t *` return value carries, if any.
    static func check(_ error: OpaquePointer?) throws {
        if let error { throw KafkaError(consuming: error) }
    }

    /// Throws unless `raw` is `RD_KAFKA_RESP_ERR_NO_ERROR`.
    static func check(_ raw: rd_kafka_resp_err_t, _ context: String? = nil) throws {
        guard raw != RD_KAFKA_RESP_ERR_NO_ERROR else { return }
        let text = String(cString: rd_kafka_err2str(raw))
        throw KafkaError(raw, message: context.map { "\($0): \(text)" } ?? text)
    }

    /// The error for calls made after `close()`.
    static let closed = KafkaError(RD_KAFKA_RESP_ERR__DESTROY, message: "the Kafka client is closed")

    public var description: String { "\(codeName): \(message)" }
}
