/// The kind of model a file holds, read before choosing a loader: the model
/// registry dispatches on it so that it needs no knowledge of each model type.
public enum ModelFileKind {
    /// The `model_kind` attribute of the model file at `path`, after checking
    /// the envelope (`format`, `format_version`).
    ///
    /// Throws `ModelError.corruptModel` when the file is missing, not HDF5,
    /// truncated or not a Forewarn model, and `ModelError.unsupportedVersion`
    /// for a newer format version.
    public static func read(from path: String) throws -> String {
        let reader = try ModelFileReader(path: path, kind: nil)
        let kind = reader.kind
        try reader.close()
        return kind
    }
}
