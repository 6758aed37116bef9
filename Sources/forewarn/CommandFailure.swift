/// A command's failure, printed as its message alone (exit status 1).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ text: String) { description = text }
}
