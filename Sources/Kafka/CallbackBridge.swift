import CRdKafka

/// Installs the C trampolines in a configuration. Each recovers its `KafkaCallbacks` (or, for delivery
/// reports, its `DeliveryBatch`) from the opaque pointer without retaining it: the owners keep them alive.
enum CallbackBridge {
    static func callbacks(_ opaque: UnsafeMutableRawPointer?) -> KafkaCallbacks? {
        opaque.map { Unmanaged<KafkaCallbacks>.fromOpaque($0).takeUnretainedValue() }
    }

    static func installCommon(_ conf: OpaquePointer) {
        rd_kafka_conf_set_stats_cb(conf) { _, json, length, opaque in
            if let json, let callbacks = CallbackBridge.callbacks(opaque) {
                let bytes = UnsafeRawBufferPointer(start: json, count: length)
                callbacks.statistics(String(decoding: bytes, as: UTF8.self))
            }
            return 0  // librdkafka frees the JSON buffer
        }
        rd_kafka_conf_set_error_cb(conf) { _, code, reason, opaque in
            let text = reason.map { String(cString: $0) }
            CallbackBridge.callbacks(opaque)?.error(KafkaError(code: KafkaErrorCode(rawValue: code), message: text))
        }
        installLog(conf)
    }

    static func installConsumer(_ conf: OpaquePointer) {
        installCommon(conf)
        rd_kafka_conf_set_rebalance_cb(conf) { rk, err, list, opaque in
            guard let rk, let callbacks = CallbackBridge.callbacks(opaque) else { return }
            callbacks.rebalance(rk, err, list)
        }
        rd_kafka_conf_set_offset_commit_cb(conf) { _, err, list, opaque in
            guard let callbacks = CallbackBridge.callbacks(opaque) else { return }
            if err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET {
                callbacks.error(KafkaError(err, message: "async commit: \(String(cString: rd_kafka_err2str(err)))"))
            } else if let list, let failure = PartitionList.firstError(list) {
                callbacks.error(failure)
            }
        }
    }

    /// Log lines go to the client's swift-log logger (`KafkaLogBridge`), never raw to stderr; the consumer
    /// also reads its offset resets off them. A line logged before the opaque is set has no logger and is dropped.
    static func installLog(_ conf: OpaquePointer) {
        rd_kafka_conf_set_log_cb(conf) { rk, level, facility, line in
            guard let rk, let facility, let line else { return }
            CallbackBridge.callbacks(rd_kafka_opaque(rk))?.log(
                level: level, client: String(cString: rd_kafka_name(rk)), facility: String(cString: facility), String(cString: line))
        }
    }

    static func installProducer(_ conf: OpaquePointer) {
        installCommon(conf)
        rd_kafka_conf_set_dr_msg_cb(conf) { _, message, _ in
            guard let message, let opaque = message.pointee._private else { return }
            Unmanaged<DeliveryBatch>.fromOpaque(opaque).takeUnretainedValue().report(message.pointee)
        }
    }
}
