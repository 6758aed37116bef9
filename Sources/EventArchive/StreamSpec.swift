import Basics
import ConfigFiles
import Foundation

/// What a stream's events look like: which field is the time, which the series
/// key, which the numeric fields, and optionally which the event id.
public struct StreamSpec: Sendable, Equatable, Codable {
    public var stream: String
    public var time: String
    public var fields: [String]
    public var key: String?
    public var id: String?
    /// How the time field is written (`time_format:`); `auto`, RFC 3339 or epoch milliseconds, by default.
    public var timeFormat: TimeFormat = .auto
    /// The IANA zone a `timeFormat` pattern without `%z` is read in (`timezone:`), UTC by default.
    public var timeZone = "UTC"

    public init(
        stream: String, time: String, fields: [String], key: String? = nil, id: String? = nil, timeFormat: TimeFormat = .auto,
        timeZone: String = "UTC"
    ) throws {
        self.stream = stream
        self.time = time
        self.fields = fields
        self.key = key
        self.id = id
        self.timeFormat = timeFormat
        self.timeZone = timeZone
        try validate()
    }

    /// A stable fingerprint of the spec (FNV-1a 64 over its canonical form),
    /// written into every archive part so readers can tell specs apart.
    public var specHash: String {
        var canonical = "stream=\(stream)\ntime=\(time)\nkey=\(key ?? "")\nid=\(id ?? "")\nfields=\(fields.joined(separator: ","))"
        // Only when set, so the specs (and parts) written before these keys keep their hash.
        if timeFormat != .auto { canonical += "\ntime_format=\(timeFormat.text)" }
        if timeZone != "UTC" { canonical += "\ntimezone=\(timeZone)" }
        return String(format: "%016llx", FNV1a.hash64(canonical))
    }

    /// Loads and validates a spec file; every problem is a `ConfigError` naming the file, line and key.
    public static func load(path: String) throws -> StreamSpec {
        try parse(ConfigNode.load(path: path))
    }

    static let knownKeys = ["stream", "time", "fields", "key", "id", "time_format", "timezone"]

    /// Parses a spec from YAML text; errors carry the 1-based line and the key they concern.
    public static func parse(yaml text: String, file: String? = nil) throws -> StreamSpec {
        try parse(ConfigNode.parse(yaml: text, file: file))
    }

    /// Parses a spec from a YAML node (a file of its own, or a section of another).
    public static func parse(_ root: ConfigNode) throws -> StreamSpec {
        let m = try root.mapping(allowed: knownKeys)
        let stream = try m.required("stream").string()
        let time = try m.required("time").string()
        let key = try m["key"]?.string()
        let id = try m["id"]?.string()
        let fieldsNode = try m.required("fields")
        let fields: [String]
        do { fields = try fieldsNode.strings() } catch let error as ConfigError {
            throw error.key == fieldsNode.path
                ? fieldsNode.expected("a list of numeric field names, for example [fare, distance]") : error
        }
        var spec = StreamSpec(unchecked: stream, time: time, fields: fields, key: key, id: id)
        if let node = m["time_format"] {
            do { spec.timeFormat = try TimeFormat(parsing: try node.string()) } catch let error as TimeFormatError {
                throw node.fail(error.description)
            }
        }
        if let node = m["timezone"] {
            spec.timeZone = try node.string()
            guard TimeZone(identifier: spec.timeZone) != nil else {
                throw node.fail("'\(spec.timeZone)' is not a known time zone (use an IANA name such as UTC or Europe/Berlin)")
            }
        }
        do { try spec.validate() } catch let error as ConfigError { throw root.locate(error) }
        return spec
    }

    private init(unchecked stream: String, time: String, fields: [String], key: String?, id: String?) {
        self.stream = stream; self.time = time; self.fields = fields; self.key = key; self.id = id
    }

    /// Names must be safe as HDF5 dataset names and archive directory names.
    /// Errors name the key (`stream`, `fields`) but no line: `parse` places them.
    func validate() throws {
        guard StreamSpec.isSafeName(stream) else {
            throw ConfigError(key: "stream", "expected a stream name matching [A-Za-z0-9_.-]+ and not starting with '.', found '\(stream)'")
        }
        guard !fields.isEmpty else {
            throw ConfigError(key: "fields", "expected at least one numeric field")
        }
        guard TimeZone(identifier: timeZone) != nil else {
            throw ConfigError(key: "timezone", "'\(timeZone)' is not a known time zone (use an IANA name such as UTC or Europe/Berlin)")
        }
        var seen = Set<String>()
        for f in fields {
            guard !f.contains("/"), !f.contains("\0") else {
                throw ConfigError(key: "fields", "field name '\(f)' may not contain '/'")
            }
            guard seen.insert(f).inserted else {
                throw ConfigError(key: "fields", "field '\(f)' is listed twice")
            }
            for other in [time, key, id].compactMap({ $0 }) where other == f {
                throw ConfigError(key: "fields", "'\(f)' cannot be both a numeric field and the time, key or id field")
            }
        }
    }

    public static func isSafeName(_ s: String) -> Bool {
        guard !s.isEmpty, s.count <= 128, !s.hasPrefix(".") else { return false }
        return s.unicodeScalars.allSatisfy { c in
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "_" || c == "-" || c == "."
        }
    }
}
