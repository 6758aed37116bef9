import NIOCore

/// Splits a byte stream into frames; `expectResponse` says which side of the connection this is.
public struct FrameDecoder: ByteToMessageDecoder, Sendable {
    public typealias InboundOut = Frame
    let expectResponse: Bool

    public init(expectResponse: Bool) { self.expectResponse = expectResponse }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try Frame.read(from: &buffer, expectResponse: expectResponse) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}

/// Writes frames as bytes.
public struct FrameEncoder: MessageToByteEncoder, Sendable {
    public typealias OutboundIn = Frame
    public init() {}
    public func encode(data: Frame, out: inout ByteBuffer) throws {
        out.reserveCapacity(Frame.headerLength + data.body.readableBytes)
        data.write(into: &out)
    }
}
