/// Why a series was left out of the rolling-origin bench, in plain words: a short kind to count by (`too
/// short`, `constant`, ...) and the series' own detail.
public struct RollingSkip: Error, Sendable, Equatable, CustomStringConvertible {
    public var kind: String
    public var detail: String

    public init(_ kind: String, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String { "\(kind): \(detail)" }
}
