import ArgumentParser
import Basics

/// A positive duration option (`--cadence 5m`) in the one grammar of `TimeSpan`,
/// or a usage error naming the option, the reason and examples.
func parseDuration(_ text: String, option: String, examples: String) throws -> TimeSpan {
    let span: TimeSpan
    do { span = try TimeSpan(parsing: text) } catch {
        throw ValidationError("\(option) '\(text)' is not a duration (\(error.reason)): use \(examples)")
    }
    guard span.milliseconds > 0 else { throw ValidationError("\(option) '\(text)' is not a duration longer than zero: use \(examples)") }
    return span
}
