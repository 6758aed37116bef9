import Foundation
import NIOCore
import Testing

@testable import CQL

@Suite struct ValueCodecTests {
    func roundTrip(_ v: CQLValue, _ t: CQLType) throws -> CQLValue {
        var b = ByteBuffer()
        try ValueCodec.write(v, as: t, into: &b)
        return try ValueCodec.read(try b.readCQLBytes(), as: t)
    }

    @Test(arguments: [
        (CQLValue.text("héllo"), CQLType.text), (.int(-7), .int), (.bigint(Int64.min), .bigint), (.double(2.5), .double),
        (.boolean(true), .boolean), (.timestamp(1_767_225_600_123), .timestamp), (.date(20454), .date), (.date(-3), .date),
        (.uuid(UUID(uuidString: "6F1E0B8A-4A9E-4D1C-9A3B-2C7D5E8F0A11") ?? UUID()), .timeuuid), (.null, .text),
        (.list([.int(1), .int(2)]), .list(.int)), (.map([.init(.text("a"), .bigint(1))]), .map(.text, .bigint)),
    ])
    func valuesRoundTrip(_ value: CQLValue, _ type: CQLType) throws {
        #expect(try roundTrip(value, type) == value)
    }

    @Test func wireFormsFollowTheSpec() throws {
        var b = ByteBuffer()
        try ValueCodec.write(.date(0), as: .date, into: &b)
        #expect(Array(b.readableBytesView) == [0, 0, 0, 4, 0x80, 0, 0, 0])
        b.clear()
        try ValueCodec.write(.null, as: .int, into: &b)
        #expect(Array(b.readableBytesView) == [0xFF, 0xFF, 0xFF, 0xFF])
        b.clear()
        try ValueCodec.write(.list([.int(1)]), as: .list(.int), into: &b)
        #expect(Array(b.readableBytesView) == [0, 0, 0, 12, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 1])
    }

    @Test func mismatchedAndMalformedValuesAreErrors() throws {
        var b = ByteBuffer()
        #expect(throws: CQLClientError.self) { try ValueCodec.write(.text("x"), as: .int, into: &b) }
        #expect(throws: CQLProtocolError.self) { try ValueCodec.read(ByteBuffer(bytes: [1, 2]), as: .int) }
        #expect(throws: CQLProtocolError.self) { try ValueCodec.read(ByteBuffer(bytes: [0x7F, 0xFF, 0xFF, 0xFF]), as: .list(.int)) }
    }

    @Test func typeOptionsRoundTrip() throws {
        for t: CQLType in [.map(.text, .list(.timeuuid)), .set(.text), .date, .boolean] {
            var b = ByteBuffer()
            t.write(into: &b)
            #expect(try CQLType.read(from: &b) == t)
            #expect(CQLType(cqlName: t.description) == t)
        }
        #expect(CQLType(cqlName: "frozen<map<text, varchar>>") == .map(.text, .text))
    }
}
