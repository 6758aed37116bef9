import NIOCore

/// An ERROR response (spec section 8): its code, message and the code's extra fields.
public struct CQLServerError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: Int32, Sendable, CaseIterable {
        case serverError = 0x0000
        case protocolError = 0x000A
        case badCredentials = 0x0100
        case unavailable = 0x1000
        case overloaded = 0x1001
        case isBootstrapping = 0x1002
        case truncateError = 0x1003
        case writeTimeout = 0x1100
        case readTimeout = 0x1200
        case readFailure = 0x1300
        case functionFailure = 0x1400
        case writeFailure = 0x1500
        case syntaxError = 0x2000
        case unauthorized = 0x2100
        case invalid = 0x2200
        case configError = 0x2300
        case alreadyExists = 0x2400
        case unprepared = 0x2500
    }

    /// The extra fields some codes carry.
    public enum Details: Sendable, Equatable {
        case none
        case unavailable(consistency: Consistency, required: Int32, alive: Int32)
        case writeTimeout(consistency: Consistency, received: Int32, blockFor: Int32, writeType: String)
        case readTimeout(consistency: Consistency, received: Int32, blockFor: Int32, dataPresent: Bool)
        case readFailure(consistency: Consistency, received: Int32, blockFor: Int32, failures: Int32, dataPresent: Bool)
        case functionFailure(keyspace: String, function: String, argumentTypes: [String])
        case writeFailure(consistency: Consistency, received: Int32, blockFor: Int32, failures: Int32, writeType: String)
        case alreadyExists(keyspace: String, table: String)
        case unprepared(id: [UInt8])
    }

    public let code: Code
    public let message: String
    public let details: Details

    public init(code: Code, message: String, details: Details = .none) {
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String { "\(code) (0x\(String(code.rawValue, radix: 16))): \(message)" }

    /// Whether the same request may succeed if sent again after a pause.
    public var isTransient: Bool {
        switch code {
        case .unavailable, .overloaded, .isBootstrapping, .writeTimeout, .readTimeout: true
        default: false
        }
    }

    public static func read(from body: inout ByteBuffer) throws -> CQLServerError {
        let raw = try body.readCQLInt()
        guard let code = Code(rawValue: raw) else { throw CQLProtocolError("unknown error code 0x\(String(raw, radix: 16))") }
        let message = try body.readCQLString()
        let details: Details
        switch code {
        case .unavailable:
            details = .unavailable(consistency: try body.readCQLConsistency(), required: try body.readCQLInt(), alive: try body.readCQLInt())
        case .writeTimeout:
            details = .writeTimeout(consistency: try body.readCQLConsistency(), received: try body.readCQLInt(),
                blockFor: try body.readCQLInt(), writeType: try body.readCQLString())
        case .readTimeout:
            details = .readTimeout(consistency: try body.readCQLConsistency(), received: try body.readCQLInt(),
                blockFor: try body.readCQLInt(), dataPresent: try body.readCQLByte() != 0)
        case .readFailure:
            details = .readFailure(consistency: try body.readCQLConsistency(), received: try body.readCQLInt(),
                blockFor: try body.readCQLInt(), failures: try body.readCQLInt(), dataPresent: try body.readCQLByte() != 0)
        case .functionFailure:
            details = .functionFailure(keyspace: try body.readCQLString(), function: try body.readCQLString(),
                argumentTypes: try body.readCQLStringList())
        case .writeFailure:
            details = .writeFailure(consistency: try body.readCQLConsistency(), received: try body.readCQLInt(),
                blockFor: try body.readCQLInt(), failures: try body.readCQLInt(), writeType: try body.readCQLString())
        case .alreadyExists:
            details = .alreadyExists(keyspace: try body.readCQLString(), table: try body.readCQLString())
        case .unprepared:
            details = .unprepared(id: try body.readCQLShortBytes())
        default:
            details = .none
        }
        return CQLServerError(code: code, message: message, details: details)
    }

    public func write(into body: inout ByteBuffer) {
        body.writeInteger(code.rawValue)
        body.writeCQLString(message)
        switch details {
        case .none: break
        case .unavailable(let c, let required, let alive):
            body.writeInteger(c.rawValue); body.writeInteger(required); body.writeInteger(alive)
        case .writeTimeout(let c, let received, let blockFor, let writeType):
            body.writeInteger(c.rawValue); body.writeInteger(received); body.writeInteger(blockFor); body.writeCQLString(writeType)
        case .readTimeout(let c, let received, let blockFor, let dataPresent):
            body.writeInteger(c.rawValue); body.writeInteger(received); body.writeInteger(blockFor)
            body.writeInteger(UInt8(dataPresent ? 1 : 0))
        case .readFailure(let c, let received, let blockFor, let failures, let dataPresent):
            body.writeInteger(c.rawValue); body.writeInteger(received); body.writeInteger(blockFor); body.writeInteger(failures)
            body.writeInteger(UInt8(dataPresent ? 1 : 0))
        case .functionFailure(let keyspace, let function, let types):
            body.writeCQLString(keyspace); body.writeCQLString(function); body.writeCQLStringList(types)
        case .writeFailure(let c, let received, let blockFor, let failures, let writeType):
            body.writeInteger(c.rawValue); body.writeInteger(received); body.writeInteger(blockFor); body.writeInteger(failures)
            body.writeCQLString(writeType)
        case .alreadyExists(let keyspace, let table):
            body.writeCQLString(keyspace); body.writeCQLString(table)
        case .unprepared(let id):
            body.writeCQLShortBytes(id)
        }
    }
}
