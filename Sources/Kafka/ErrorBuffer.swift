/// The `errstr` out-parameter many librdkafka calls fill in.
struct ErrorBuffer {
    var bytes = [CChar](repeating: 0, count: 512)
    var size: Int { bytes.count }

    var text: String {
        String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
