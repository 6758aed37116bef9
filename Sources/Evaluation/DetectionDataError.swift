/// A labelled benchmark file that cannot be used, said as `FILE[:LINE]: reason`.
public struct DetectionDataError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    /// 1-based, the header being line 1; nil when the problem is the whole file.
    public var line: Int?
    public var reason: String

    public init(file: String, line: Int? = nil, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String { line.map { "\(file):\($0): \(reason)" } ?? "\(file): \(reason)" }
}
