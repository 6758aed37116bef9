/// A problem with one line of an input file, located so a person can open the
/// file at that line (`file:line: message`, the format editors and CI understand).
public struct RowError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    /// 1-based; in CSV the header is line 1. A record spanning lines reports its first line.
    public let line: Int
    public let message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file):\(line): \(message)" }
}
