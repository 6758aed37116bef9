/// The child Python of `bench detection` is missing, lacks a package, or failed; said so the user can fix it.
public struct ReferenceError: Error, CustomStringConvertible, Equatable, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }

    /// How to make a Python that has what the bench needs, in lines of at most 76 columns that each start
    /// with two spaces (as a help text's example block has them).
    public static let setup = """
          python3 -m venv /work/venv
          /work/venv/bin/pip install --no-deps TSB-AD==1.5 "numpy<2" scikit-learn \\
              "pandas<3" scipy statsmodels patsy packaging joblib threadpoolctl \\
              cloudpickle narwhals python-dateutil pytz six tzdata
        """
}
