import Foundation

/// A part that could not be used, and why. Readers report problems instead of
/// failing, so one damaged file does not hide the rest of the archive.
public struct ArchiveProblem: Sendable, CustomStringConvertible, Equatable {
    public let url: URL
    public let reason: String

    public init(url: URL, reason: String) {
        self.url = url
        self.reason = reason
    }

    public var description: String { "\(url.path): \(reason)" }
}
