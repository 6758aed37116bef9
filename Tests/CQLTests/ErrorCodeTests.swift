import NIOCore
import Testing

@testable import CQL

@Suite struct ErrorCodeTests {
    static let samples: [CQLServerError] = CQLServerError.Code.allCases.map { code in
        let details: CQLServerError.Details
        switch code {
        case .unavailable: details = .unavailable(consistency: .quorum, required: 3, alive: 1)
        case .writeTimeout: details = .writeTimeout(consistency: .one, received: 0, blockFor: 1, writeType: "BATCH")
        case .readTimeout: details = .readTimeout(consistency: .one, received: 0, blockFor: 1, dataPresent: true)
        case .readFailure: details = .readFailure(consistency: .all, received: 1, blockFor: 2, failures: 1, dataPresent: false)
        case .functionFailure: details = .functionFailure(keyspace: "ks", function: "f", argumentTypes: ["int"])
        case .writeFailure: details = .writeFailure(consistency: .two, received: 1, blockFor: 2, failures: 1, writeType: "SIMPLE")
        case .alreadyExists: details = .alreadyExists(keyspace: "ks", table: "t")
        case .unprepared: details = .unprepared(id: [0xAB, 0xCD])
        default: details = .none
        }
        return CQLServerError(code: code, message: "message for \(code)", details: details)
    }

    @Test(arguments: samples)
    func everyErrorCodeRoundTrips(_ error: CQLServerError) throws {
        var b = ByteBuffer()
        error.write(into: &b)
        #expect(b.getInteger(at: 0, as: Int32.self) == error.code.rawValue)
        #expect(try CQLServerError.read(from: &b) == error)
        #expect(b.readableBytes == 0)
    }

    @Test func onlyTransientErrorsAreRetried() {
        let policy = RetryPolicy.default
        let retried = Self.samples.filter { policy.isRetryable($0) }.map(\.code)
        #expect(Set(retried) == [.unavailable, .overloaded, .isBootstrapping, .writeTimeout, .readTimeout])
        #expect(policy.isRetryable(CQLClientError.connectionClosed))
        #expect(!policy.isRetryable(CQLClientError.invalidValue("x")))
    }

    @Test func unknownCodesAreProtocolErrors() {
        var b = ByteBuffer()
        b.writeInteger(Int32(0x7777))
        b.writeCQLString("?")
        #expect(throws: CQLProtocolError.self) { try CQLServerError.read(from: &b) }
    }

    @Test func backoffGrowsAndIsCapped() {
        let p = RetryPolicy(maxAttempts: 10, initialBackoff: .milliseconds(10), maxBackoff: .milliseconds(100), jitter: 0)
        #expect(p.delay(afterAttempt: 1) == .milliseconds(10))
        #expect(p.delay(afterAttempt: 3) == .milliseconds(40))
        #expect(p.delay(afterAttempt: 9) == .milliseconds(100))
    }
}
