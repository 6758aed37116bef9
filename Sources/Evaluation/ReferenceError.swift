/// The child Python of `bench detection` is missing, lacks a package, or failed; said so the user can fix it.
public struct ReferenceError: Error, CustomStringConvertible, Equatable, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }

    /// How to make a Python that has what the bench needs.
    public static let setup = """
        python3 -m venv /work/venv && /work/venv/bin/pip install --no-deps TSB-AD==1.5 "numpy<2" scikit-learn "pandas<3" \
        scipy statsmodels patsy packaging joblib threadpoolctl cloudpickle narwhals python-dateutil pytz six tzdata
        """
}
