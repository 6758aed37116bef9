import Foundation

/// An in-progress part that repair could not recover, and where it went.
public struct QuarantinedPart: Sendable, Equatable {
    /// Where the file was found.
    public var original: URL
    /// Where it now lives, under `<root>/<stream>/_quarantine/`.
    public var url: URL
    public var reason: String
}
