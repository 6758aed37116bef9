import CQL
import NIOConcurrencyHelpers

/// A failure the node can be told to produce, for clients' and sinks' tests.
public enum Fault: Sendable, Equatable {
    case writeTimeout
    case readTimeout
    case unavailable
    case overloaded
    case error(CQLServerError)
    /// Close the connection instead of answering.
    case dropConnection
    /// Never answer (the client's own timeout must fire).
    case noResponse

    var serverError: CQLServerError? {
        switch self {
        case .writeTimeout:
            CQLServerError(code: .writeTimeout, message: "Operation timed out - received only 0 responses.",
                details: .writeTimeout(consistency: .localQuorum, received: 0, blockFor: 1, writeType: "UNLOGGED_BATCH"))
        case .readTimeout:
            CQLServerError(code: .readTimeout, message: "Operation timed out - received only 0 responses.",
                details: .readTimeout(consistency: .localQuorum, received: 0, blockFor: 1, dataPresent: false))
        case .unavailable:
            CQLServerError(code: .unavailable, message: "Cannot achieve consistency level LOCAL_QUORUM",
                details: .unavailable(consistency: .localQuorum, required: 1, alive: 0))
        case .overloaded: CQLServerError(code: .overloaded, message: "Server is in overloaded state. Cannot accept more requests")
        case .error(let e): e
        case .dropConnection, .noResponse: nil
        }
    }
}

/// Faults waiting to be served, each to the next `count` requests of the given kinds.
public final class FaultPlan: Sendable {
    struct Rule {
        var fault: Fault
        var remaining: Int
        var opcodes: Set<Opcode>
    }

    public static let dataRequests: Set<Opcode> = [.query, .execute, .batch]

    private let rules = NIOLockedValueBox([Rule]())
    private let served = NIOLockedValueBox(0)

    public init() {}

    /// The next `count` requests with one of `opcodes` get `fault` (rules are served in order).
    public func inject(_ fault: Fault, count: Int = 1, on opcodes: Set<Opcode> = FaultPlan.dataRequests) {
        rules.withLockedValue { $0.append(Rule(fault: fault, remaining: count, opcodes: opcodes)) }
    }

    public func clear() { rules.withLockedValue { $0.removeAll() } }

    /// Faults served so far.
    public var servedCount: Int { served.withLockedValue { $0 } }
    public var pendingCount: Int { rules.withLockedValue { $0.reduce(0) { $0 + $1.remaining } } }

    func take(for opcode: Opcode) -> Fault? {
        let fault: Fault? = rules.withLockedValue { rules in
            guard let i = rules.firstIndex(where: { $0.remaining > 0 && $0.opcodes.contains(opcode) }) else { return nil }
            rules[i].remaining -= 1
            let f = rules[i].fault
            if rules[i].remaining == 0 { rules.remove(at: i) }
            return f
        }
        if fault != nil { served.withLockedValue { $0 += 1 } }
        return fault
    }
}
