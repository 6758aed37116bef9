import CRdKafka

/// Hands one message to `rd_kafka_produceva`, copying key, value and headers (RD_KAFKA_MSG_F_COPY), so the
/// Swift buffers need not outlive the call.
enum MessageEnqueuer {
    static func enqueue(_ rk: OpaquePointer, _ message: KafkaProducerMessage, opaque: UnsafeMutableRawPointer)
        -> rd_kafka_resp_err_t
    {
        let headers = makeHeaders(message.headers)
        let err = message.topic.withCString { topic in
            message.value.withUnsafeBytes { value in
                withKey(message.key) { key in
                    enqueue(rk, topic: topic, key: key, value: value, partition: message.partition, headers: headers, opaque: opaque)
                }
            }
        }
        // On success librdkafka owns the headers; on failure they are still ours.
        if err != RD_KAFKA_RESP_ERR_NO_ERROR, let headers { rd_kafka_headers_destroy(headers) }
        return err
    }

    /// Message `index` of a columnar batch, straight from its buffers.
    static func enqueue(_ rk: OpaquePointer, _ records: KafkaProducerBatch, _ index: Int, opaque: UnsafeMutableRawPointer)
        -> rd_kafka_resp_err_t
    {
        records.topic.withCString { topic in
            records.values.withUnsafeBytes { values in
                let value = UnsafeRawBufferPointer(rebasing: values[records.valueRange(index)])
                guard let range = records.keyRange(index) else {
                    return enqueue(rk, topic: topic, key: nil, value: value, partition: nil, headers: nil, opaque: opaque)
                }
                return records.keys.withUnsafeBytes { keys in
                    enqueue(
                        rk, topic: topic, key: UnsafeRawBufferPointer(rebasing: keys[range]), value: value, partition: nil,
                        headers: nil, opaque: opaque)
                }
            }
        }
    }

    /// The one produce call; key and value are copied by librdkafka before it returns.
    private static func enqueue(
        _ rk: OpaquePointer, topic: UnsafePointer<CChar>, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer,
        partition: Int32?, headers: OpaquePointer?, opaque: UnsafeMutableRawPointer
    ) -> rd_kafka_resp_err_t {
        // At most seven items, on the stack: no allocation per message.
        withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 7) { vus in
            var count = 0
            func add(_ item: rd_kafka_vu_t) {
                vus[count] = item
                count += 1
            }
            add(vu(RD_KAFKA_VTYPE_TOPIC) { $0.cstr = topic })
            add(vu(RD_KAFKA_VTYPE_MSGFLAGS) { $0.i = RD_KAFKA_MSG_F_COPY })
            add(vu(RD_KAFKA_VTYPE_OPAQUE) { $0.ptr = opaque })
            add(
                vu(RD_KAFKA_VTYPE_VALUE) {
                    $0.mem.ptr = UnsafeMutableRawPointer(mutating: value.baseAddress)
                    $0.mem.size = value.count
                })
            if let key {
                add(
                    vu(RD_KAFKA_VTYPE_KEY) {
                        $0.mem.ptr = UnsafeMutableRawPointer(mutating: key.baseAddress)
                        $0.mem.size = key.count
                    })
            }
            if let partition { add(vu(RD_KAFKA_VTYPE_PARTITION) { $0.i32 = partition }) }
            if let headers { add(vu(RD_KAFKA_VTYPE_HEADERS) { $0.headers = headers }) }
            guard let error = rd_kafka_produceva(rk, vus.baseAddress, count) else { return RD_KAFKA_RESP_ERR_NO_ERROR }
            defer { rd_kafka_error_destroy(error) }
            return rd_kafka_error_code(error)
        }
    }

    private static func vu(_ type: rd_kafka_vtype_t, _ set: (inout rd_kafka_vu_s.__Unnamed_union_u) -> Void)
        -> rd_kafka_vu_t
    {
        var item = rd_kafka_vu_t()
        item.vtype = type
        set(&item.u)
        return item
    }

    private static func withKey<R>(_ key: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
        guard let key else { return body(nil) }
        return key.withUnsafeBytes { body($0) }
    }

    private static func makeHeaders(_ headers: [KafkaHeader]) -> OpaquePointer? {
        guard !headers.isEmpty, let list = rd_kafka_headers_new(headers.count) else { return nil }
        for header in headers {
            if let value = header.value {
                value.withUnsafeBytes { _ = rd_kafka_header_add(list, header.name, -1, $0.baseAddress, $0.count) }
            } else {
                _ = rd_kafka_header_add(list, header.name, -1, nil, 0)
            }
        }
        return list
    }
}
