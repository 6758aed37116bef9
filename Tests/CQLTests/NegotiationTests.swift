import CQL
import NIOCore
import NIOPosix
import Testing

/// A server that answers whatever it is sent with fixed bytes, standing in for nodes of other versions.
final class CannedReply: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: bytes)), promise: nil)
    }
}

@Suite struct NegotiationTests {
    static func errorFrame(version: UInt8, message: String) -> [UInt8] {
        var body = ByteBuffer()
        CQLServerError(code: .protocolError, message: message).write(into: &body)
        return [version, 0, 0, 0, 0x00] + withUnsafeBytes(of: Int32(body.readableBytes).bigEndian) { Array($0) }
            + Array(body.readableBytesView)
    }

    func connect(toServerReplying bytes: [UInt8]) async throws -> CQLClientError? {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(CannedReply(bytes)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        do {
            _ = try await Connection.connect(host: "127.0.0.1", port: server.localAddress?.port ?? 0, options: ConnectionOptions())
            return nil
        } catch let e as CQLClientError {
            return e
        }
    }

    @Test func aNodeAnsweringInAnotherVersionIsReportedAsSuch() async throws {
        let error = try await connect(toServerReplying: Self.errorFrame(version: 0x83, message: "Invalid or unsupported protocol version (4)"))
        guard case .unsupportedProtocol(let why)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(why.contains("v3"))
    }

    @Test func aV4RefusalOfTheVersionIsReportedAsSuch() async throws {
        let error = try await connect(toServerReplying: Self.errorFrame(version: 0x84, message: "Invalid or unsupported protocol version (4)"))
        guard case .unsupportedProtocol? = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test func garbageInsteadOfAResponseIsAnError() async throws {
        let error = try await connect(toServerReplying: Array("HTTP/1.1 400 Bad Request\r\n\r\n".utf8))
        #expect(error != nil)
    }
}
