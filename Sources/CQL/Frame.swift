import NIOCore

/// One protocol frame: the 9-byte header fields and the body.
public struct Frame: Sendable {
    public static let headerLength = 9
    public static let requestVersion: UInt8 = 0x04
    public static let responseVersion: UInt8 = 0x84
    /// The spec's default limit on a frame body (256 MB).
    public static let maxBodyLength = 256 * 1024 * 1024

    public struct Flags: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let compression = Flags(rawValue: 0x01)
        public static let tracing = Flags(rawValue: 0x02)
        public static let customPayload = Flags(rawValue: 0x04)
        public static let warning = Flags(rawValue: 0x08)
    }

    public var version: UInt8
    public var flags: Flags
    public var stream: Int16
    public var opcode: Opcode
    public var body: ByteBuffer

    public init(version: UInt8, flags: Flags = [], stream: Int16, opcode: Opcode, body: ByteBuffer) {
        self.version = version
        self.flags = flags
        self.stream = stream
        self.opcode = opcode
        self.body = body
    }

    public var isResponse: Bool { version & 0x80 != 0 }
    public var protocolVersion: UInt8 { version & 0x7F }

    public func write(into buffer: inout ByteBuffer) {
        buffer.writeInteger(version)
        buffer.writeInteger(flags.rawValue)
        buffer.writeInteger(stream)
        buffer.writeInteger(opcode.rawValue)
        buffer.writeInteger(Int32(body.readableBytes))
        var body = body
        buffer.writeBuffer(&body)
    }

    /// Reads one whole frame, or returns nil (consuming nothing) when more bytes are needed.
    /// A header that cannot start a v4 frame is an error, whatever follows it.
    public static func read(from buffer: inout ByteBuffer, expectResponse: Bool) throws -> Frame? {
        guard buffer.readableBytes >= headerLength else { return nil }
        let start = buffer.readerIndex
        guard let version = buffer.getInteger(at: start, as: UInt8.self),
            let flagBits = buffer.getInteger(at: start + 1, as: UInt8.self),
            let stream = buffer.getInteger(at: start + 2, as: Int16.self),
            let code = buffer.getInteger(at: start + 4, as: UInt8.self),
            let length = buffer.getInteger(at: start + 5, as: Int32.self)
        else { return nil }
        if (version & 0x80 != 0) != expectResponse {
            throw CQLProtocolError(expectResponse ? "expected a response frame, got a request" : "expected a request frame, got a response")
        }
        guard version & 0x7F == 4 else {
            throw UnsupportedVersion(version: version & 0x7F, stream: stream)
        }
        guard length >= 0, Int(length) <= maxBodyLength else {
            throw CQLProtocolError("frame body length \(length) is outside 0...\(maxBodyLength)")
        }
        guard let opcode = Opcode(rawValue: code) else {
            throw CQLProtocolError("unknown opcode 0x\(String(code, radix: 16))")
        }
        if flagBits & Flags.compression.rawValue != 0 {
            throw CQLProtocolError("compressed frames are not supported (no compression was negotiated)")
        }
        guard buffer.readableBytes >= headerLength + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: headerLength)
        guard let body = buffer.readSlice(length: Int(length)) else { return nil }
        return Frame(version: version, flags: Flags(rawValue: flagBits), stream: stream, opcode: opcode, body: body)
    }
}

/// A frame whose header names a protocol version other than 4.
public struct UnsupportedVersion: Error, CustomStringConvertible, Sendable {
    public let version: UInt8
    public let stream: Int16
    public var description: String { "unsupported protocol version \(version) (this peer speaks v4 only)" }
}
