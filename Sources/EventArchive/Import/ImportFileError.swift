/// An input file that cannot be read at all (missing, a directory, no permission,
/// an I/O failure), as opposed to a bad row inside a readable file.
public struct ImportFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
