/// Consistency levels with their protocol codes (spec section 3, [consistency]).
public enum Consistency: UInt16, Sendable, Codable, CaseIterable {
    case any = 0x0000
    case one = 0x0001
    case two = 0x0002
    case three = 0x0003
    case quorum = 0x0004
    case all = 0x0005
    case localQuorum = 0x0006
    case eachQuorum = 0x0007
    case serial = 0x0008
    case localSerial = 0x0009
    case localOne = 0x000A

    public var name: String {
        switch self {
        case .any: "ANY"
        case .one: "ONE"
        case .two: "TWO"
        case .three: "THREE"
        case .quorum: "QUORUM"
        case .all: "ALL"
        case .localQuorum: "LOCAL_QUORUM"
        case .eachQuorum: "EACH_QUORUM"
        case .serial: "SERIAL"
        case .localSerial: "LOCAL_SERIAL"
        case .localOne: "LOCAL_ONE"
        }
    }

    public init?(name: String) {
        guard let c = Self.allCases.first(where: { $0.name == name.uppercased() }) else { return nil }
        self = c
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let c = Consistency(name: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown consistency '\(text)'"))
        }
        self = c
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(name)
    }
}
