import ArgumentParser
import EventArchive

/// Parses a time given on the command line, with an error that shows the accepted forms.
func parseTime(_ text: String, option: String) throws -> Int64 {
    guard let ms = EventTime.parse(text) else {
        throw ValidationError(
            "\(option) '\(text)' is not a time: use RFC 3339 (2026-01-02T03:04:05Z), a date (2026-01-02) or epoch milliseconds")
    }
    return ms
}
