import CQL
import CQLTestNode
import NIOCore
import NIOPosix
import Testing

/// Bytes that break the protocol get an ERROR frame (or a closed connection), never a crash.
@Suite struct MalformedInputTests {
    /// Sends raw bytes to the node and returns the frames it answered before closing or going quiet.
    func exchange(_ bytes: [UInt8], with node: TestNode) async throws -> [UInt8] {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: node.host, port: node.port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(bytes: bytes))
            var received: [UInt8] = []
            for try await chunk in inbound {
                received += Array(chunk.readableBytesView)
                if received.count >= Frame.headerLength, let n = ByteBuffer(bytes: received).getInteger(at: 5, as: Int32.self),
                    received.count >= Frame.headerLength + Int(n) { break }
            }
            return received
        }
    }

    func errorCode(_ bytes: [UInt8]) throws -> CQLServerError.Code? {
        var b = ByteBuffer(bytes: bytes)
        guard let frame = try Frame.read(from: &b, expectResponse: true), frame.opcode == .error else { return nil }
        var body = frame.body
        return try CQLServerError.read(from: &body).code
    }

    @Test func anotherProtocolVersionGetsAProtocolError() async throws {
        let node = try await TestNode.start()
        defer { Task { await node.stop() } }
        let reply = try await exchange([0x05, 0, 0, 3, 0x05, 0, 0, 0, 0], with: node)
        #expect(try errorCode(reply) == .protocolError)
        #expect(reply.count > 4 && reply[0] == 0x84 && reply[3] == 3)
    }

    @Test(arguments: [
        [0x04, 0, 0, 1, 0x07, 0, 0, 0, 2, 0, 0] as [UInt8],  // QUERY with a truncated body
        [0x04, 0, 0, 1, 0x0D, 0, 0, 0, 3, 9, 0, 0],  // BATCH of an unknown type
        [0x04, 0, 0, 1, 0x07, 0, 0, 0, 4, 0, 0, 0, 0],  // QUERY before STARTUP
        [0x04, 0, 0, 1, 0x08, 0, 0, 0, 0],  // a response opcode as a request
    ])
    func brokenBodiesGetErrorsAndTheNodeLivesOn(_ bytes: [UInt8]) async throws {
        let node = try await TestNode.start()
        defer { Task { await node.stop() } }
        let reply = try await exchange(bytes, with: node)
        #expect(try errorCode(reply) == .protocolError)
        let client = try await CQLClient.connect(hosts: [.init(host: node.host, port: node.port)])
        #expect(try await client.select("SELECT key FROM system.local").rows.count == 1)
        await client.close()
    }

    @Test func unknownOpcodesAndHugeLengthsAreRefused() async throws {
        let node = try await TestNode.start()
        defer { Task { await node.stop() } }
        #expect(try errorCode(try await exchange([0x04, 0, 0, 1, 0x42, 0, 0, 0, 0], with: node)) == .protocolError)
        #expect(try errorCode(try await exchange([0x04, 0, 0, 1, 0x07, 0x7F, 0xFF, 0xFF, 0xFF], with: node)) == .protocolError)
    }
}
