import Foundation

/// Where an import's rows go: the stream's archive writer, opened, and the stream's spec recorded, only when
/// the first row arrives. An import that lands nothing (every row rejected, a time field the files do not
/// have) leaves the archive exactly as it was, so a corrected spec can be imported next; an import whose
/// spec differs from the recorded one is refused before anything is read.
public final class StreamImportSink {
    public let root: URL
    public let spec: StreamSpec
    private let options: ArchiveWriter.Options
    private var writer: ArchiveWriter?

    /// Throws `CatalogError.specMismatch` when the stream was archived with another spec.
    public init(root: URL, spec: StreamSpec, options: ArchiveWriter.Options = .init()) throws {
        self.root = root
        self.spec = spec
        self.options = options
        try StreamCatalog.check(spec: spec, root: root)
    }

    public func append(_ batch: EventBatch) throws {
        guard batch.count > 0 else { return }
        if writer == nil {
            try StreamCatalog.register(spec: spec, root: root)
            writer = try ArchiveWriter(root: root, spec: spec, options: options)
        }
        try writer?.append(batch)
    }

    /// Rows left out because the archive held their id already (a re-import).
    public var duplicatesSkipped: Int { writer?.duplicatesSkipped ?? 0 }

    /// The parts this import published (none when no row arrived).
    @discardableResult
    public func close() throws -> [URL] { try writer?.close() ?? [] }
}
