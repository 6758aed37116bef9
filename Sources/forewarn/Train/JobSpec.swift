import Foundation
import Yams

/// A training job (`Jobs/*.yaml`): what to fit, on which window, and when the
/// result may replace the production version. See docs/operations.md.
struct JobSpec: Decodable {
    struct Window: Decodable {
        /// A duration back from the newest event in the archive (or from now with `anchor: now`).
        var last: String?
        var from: String?
        var to: String?
        var anchor: String?
    }

    struct Promotion: Decodable {
        var alias: String?
        /// Fewest training rows for a version to be promoted.
        var minRows: Int?
        /// How much worse than the champion the challenger's backtest metric may be (AUC lower, MASE higher).
        var maxRegression: Double?
        /// Forecast models: the band the held-out interval coverage must fall in.
        var coverage: [Double]?

        enum CodingKeys: String, CodingKey {
            case alias, coverage
            case minRows = "min_rows"
            case maxRegression = "max_regression"
        }
    }

    var name: String
    var stream: String
    var archive: String
    var registry: String?
    var model: String?
    var fields: [String]?
    var params: [String: String]?
    var window: Window
    /// The trailing slice of the window held out for the backtest (default 1d).
    var holdout: String?
    var promotion: Promotion?

    static func load(path: String) throws -> JobSpec {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CommandFailure("\(path): cannot read the job file")
        }
        var job: JobSpec
        do { job = try YAMLDecoder().decode(JobSpec.self, from: text) } catch let error as DecodingError {
            throw CommandFailure("\(path): \(Self.describe(error))")
        } catch {
            throw CommandFailure("\(path): not valid YAML: \(error)")
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
