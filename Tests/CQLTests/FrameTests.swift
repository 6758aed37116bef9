import NIOCore
import Testing

@testable import CQL

@Suite struct FrameTests {
    @Test func headerLayoutMatchesTheSpec() throws {
        var body = ByteBuffer()
        Request.options.writeBody(into: &body)
        var out = ByteBuffer()
        Frame(version: Frame.requestVersion, stream: 0x0102, opcode: .options, body: body).write(into: &out)
        #expect(Array(out.readableBytesView) == [0x04, 0x00, 0x01, 0x02, 0x05, 0, 0, 0, 0])
    }

    @Test func startupBodyIsAStringMap() throws {
        var body = ByteBuffer()
        Request.startup(["CQL_VERSION": "3.0.0"]).writeBody(into: &body)
        let expected: [UInt8] = [0, 1, 0, 11] + Array("CQL_VERSION".utf8) + [0, 5] + Array("3.0.0".utf8)
        #expect(Array(body.readableBytesView) == expected)
    }

    @Test func aFrameSplitAcrossReadsDecodesOnceWhole() throws {
        var body = ByteBuffer()
        body.writeCQLString("hello")
        var whole = ByteBuffer()
        Frame(version: Frame.responseVersion, stream: 7, opcode: .authenticate, body: body).write(into: &whole)
        var partial = whole.getSlice(at: 0, length: 10) ?? ByteBuffer()
        #expect(try Frame.read(from: &partial, expectResponse: true) == nil)
        #expect(partial.readableBytes == 10)
        let frame = try #require(try Frame.read(from: &whole, expectResponse: true))
        #expect(frame.stream == 7)
        var b = frame.body
        guard case .authenticate(let name) = try Response.read(opcode: frame.opcode, body: &b) else {
            Issue.record("not AUTHENTICATE"); return
        }
        #expect(name == "hello")
    }

    @Test func malformedHeadersAreErrors() throws {
        var wrongVersion = ByteBuffer(bytes: [0x85, 0, 0, 1, 0x02, 0, 0, 0, 0])
        #expect(throws: UnsupportedVersion.self) { try Frame.read(from: &wrongVersion, expectResponse: true) }
        var badOpcode = ByteBuffer(bytes: [0x84, 0, 0, 1, 0x04, 0, 0, 0, 0])
        #expect(throws: CQLProtocolError.self) { try Frame.read(from: &badOpcode, expectResponse: true) }
        var negative = ByteBuffer(bytes: [0x84, 0, 0, 1, 0x02, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: CQLProtocolError.self) { try Frame.read(from: &negative, expectResponse: true) }
        var request = ByteBuffer(bytes: [0x04, 0, 0, 1, 0x05, 0, 0, 0, 0])
        #expect(throws: CQLProtocolError.self) { try Frame.read(from: &request, expectResponse: true) }
        var compressed = ByteBuffer(bytes: [0x84, 0x01, 0, 1, 0x02, 0, 0, 0, 0])
        #expect(throws: CQLProtocolError.self) { try Frame.read(from: &compressed, expectResponse: true) }
    }

    @Test func truncatedBodiesAreErrorsNotCrashes() throws {
        var body = ByteBuffer()
        Request.query("SELECT * FROM t", QueryParameters(consistency: .one, values: [ByteBuffer(bytes: [1, 2])])).writeBody(into: &body)
        for cut in 0..<body.readableBytes {
            var slice = body.getSlice(at: 0, length: cut) ?? ByteBuffer()
            #expect(throws: (any Error).self) { try Request.read(opcode: .query, body: &slice) }
        }
    }

    @Test func queryParametersRoundTrip() throws {
        var p = QueryParameters(consistency: .localQuorum, values: [ByteBuffer(bytes: [0, 0, 0, 5]), nil],
            serialConsistency: .localSerial, defaultTimestamp: 42)
        p.pageSize = 100
        var body = ByteBuffer()
        p.write(into: &body)
        #expect(body.getBytes(at: 0, length: 3) == [0, 6, 0x01 | 0x04 | 0x10 | 0x20])
        let back = try QueryParameters.read(from: &body)
        #expect(back.consistency == .localQuorum)
        #expect(back.values.count == 2 && back.values[1] == nil)
        #expect(back.pageSize == 100 && back.serialConsistency == .localSerial && back.defaultTimestamp == 42)
    }

    @Test func batchLayoutRoundTrips() throws {
        let batch = Batch(kind: .unlogged, statements: [
            .prepared(id: [1, 2, 3], values: [ByteBuffer(bytes: [9])]), .query("INSERT INTO t (a) VALUES (1)", values: []),
        ], consistency: .quorum, serialConsistency: .serial)
        var body = ByteBuffer()
        Request.batch(batch).writeBody(into: &body)
        #expect(body.getBytes(at: 0, length: 6) == [1, 0, 2, 1, 0, 3])
        guard case .batch(let back) = try Request.read(opcode: .batch, body: &body) else { Issue.record("not a batch"); return }
        #expect(back.kind == .unlogged && back.statements.count == 2 && back.consistency == .quorum && back.serialConsistency == .serial)
    }
}
