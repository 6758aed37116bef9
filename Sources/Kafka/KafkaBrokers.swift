import Foundation

/// Where the brokers are, as a service configuration spells it: `embedded` (librdkafka's mock cluster,
/// started in-process) or a bootstrap list such as `kafka-1:9092,kafka-2:9092`.
public enum KafkaBrokers: Hashable, Sendable {
    case embedded
    case bootstrap(String)

    public init(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        self = trimmed.lowercased() == "embedded" ? .embedded : .bootstrap(trimmed)
    }
}
