/// One line to the child Python: where a case's raw files are and what to run on them (see `ReferenceScript`).
struct ReferenceRequest: Encodable {
    var dir: String
    var train_rows: Int
    var test_rows: Int
    var cols: Int
    /// The Forewarn detectors whose `<i>.score.f64` and `<i>.flags.f64` are in `dir`, in that order.
    var forewarn: [String]
    var references: Bool
}
