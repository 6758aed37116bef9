import Foundation
import Yams

/// A training job (`Jobs/*.yaml`): what to fit, on which window, and when the
/// result may replace the production version. See docs/operations.md.
public struct JobSpec: Decodable, Sendable {
    public struct Window: Decodable, Sendable {
        /// A duration back from the newest event in the archive (or from now with `anchor: now`).
        public var last: String?
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
    public var holdout: String?
    public var promotion: Promotion?

    public static func load(path: String) throws -> JobSpec {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw TrainingError("\(path): cannot read the job file")
        }
        var job: JobSpec
        do { job = try YAMLDecoder().decode(JobSpec.self, from: text) } catch let error as DecodingError {
            throw TrainingError("\(path): \(Self.describe(error))")
        } catch {
            throw TrainingError("\(path): not valid YAML: \(error)")
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : base.appendingPathComponent(p).standardizedFileURL.path }
        job.archive = resolve(job.archive)
        job.registry = job.registry.map(resolve)
        return job
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "missing key '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "'\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
