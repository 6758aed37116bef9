/// Why a training run could not do what it was asked; the command prints it
/// and exits 1. (Registry, archive and model errors pass through as they are.)
public struct TrainingError: Error, CustomStringConvertible, Equatable, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
