import Basics
import ConfigFiles
import Foundation

/// A training job (`Jobs/*.yaml`): what to fit, on which window, and when the
/// result may replace the production version. See docs/operations.md.
public struct JobSpec: Decodable, Sendable {
    public struct Window: Decodable, Sendable {
        /// A duration back from the newest event in the archive (or from now with `anchor: now`).
        public var last: TimeSpan?
        public var from: String?
        public var to: String?
        public var anchor: String?
    }

    public struct Promotion: Decodable, Sendable {
        public var alias: String?
        /// Fewest training rows for a version to be promoted.
        public var minRows: Int?
        /// How much worse than the champion the challenger's backtest metric may be (AUC lower, MASE higher).
        public var maxRegression: Double?
        /// Forecast models: the band the held-out interval coverage must fall in.
        public var coverage: [Double]?

        enum CodingKeys: String, CodingKey {
            case alias, coverage
            case minRows = "min_rows"
            case maxRegression = "max_regression"
        }
    }

    public var name: String
    public var stream: String
    public var archive: String
    public var registry: String?
    public var model: String?
    public var fields: [String]?
    public var params: [String: String]?
    public var window: Window
    /// The trailing slice of the window held out for the backtest (default 1d).
    public var holdout: TimeSpan?
    public var promotion: Promotion?

    /// Reads a job file; every problem is a `ConfigError` naming the file, line and key. Paths in it
    /// are relative to its folder.
    public static func load(path: String) throws -> JobSpec {
        let root = try ConfigNode.load(path: path)
        var job = try root.decode(JobSpec.self)
        job.archive = root.resolve(job.archive)
        job.registry = job.registry.map(root.resolve)
        return job
    }
}
