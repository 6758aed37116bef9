/// A failed HDF5 operation, reported as a value instead of a crash.
///
/// HDF5 signals failure with negative return codes and keeps the details on a
/// global error stack; this type carries what was attempted, on which file and
/// object, and the innermost message of that stack (usually the most specific,
/// such as "file signature not found" or "truncated file").
public struct HDF5Error: Error, CustomStringConvertible, Sendable, Equatable {
    /// What was attempted, as a verb phrase: "open file", "read dataset".
    public var operation: String
    /// The file and object concerned: `/data/x.h5:/fields/fare`.
    public var object: String
    /// The innermost HDF5 error-stack message, or our own explanation.
    public var detail: String

    public init(operation: String, object: String, detail: String) {
        self.operation = operation
        self.object = object
        self.detail = detail
    }

    public var description: String {
        detail.isEmpty ? "HDF5: cannot \(operation) \(object)" : "HDF5: cannot \(operation) \(object): \(detail)"
    }
}
