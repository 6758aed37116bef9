import Foundation
import Yams

/// What a stream's events look like: which field is the time, which the series
/// key, which the numeric fields, and optionally which the event id.
public struct StreamSpec: Sendable, Equatable, Codable {
    public var stream: String
    public var time: String
    public var fields: [String]
    public var key: String?
    public var id: String?

    public init(stream: String, time: String, fields: [String], key: String? = nil, id: String? = nil) throws {
        self.stream = stream
        self.time = time
        self.fields = fields
        self.key = key
        self.id = id
        try validate(line: nil)
    }

    /// A stable fingerprint of the spec (FNV-1a 64 over its canonical form),
    /// written into every archive part so readers can tell specs apart.
    public var specHash: String {
        let canonical = "stream=\(stream)\ntime=\(time)\nkey=\(key ?? "")\nid=\(id ?? "")\nfields=\(fields.joined(separator: ","))"
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in canonical.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(format: "%016llx", h)
    }

    /// Loads and validates a spec file.
    public static func load(path: String) throws -> StreamSpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SpecError(file: path, line: nil, message: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SpecError(file: path, line: nil, message: "the file is not UTF-8 text")
        }
        do {
            return try parse(yaml: text)
        } catch var error as SpecError {
            error.file = path
            throw error
        }
    }

    static let knownKeys: Set<String> = ["stream", "time", "fields", "key", "id"]

    /// Parses a spec from YAML text; errors carry the 1-based line they concern.
    public static func parse(yaml text: String) throws -> StreamSpec {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw SpecError(line: nil, message: "the spec is empty")
            }
            root = node
        } catch let error as YamlError {
            throw SpecError(line: yamlLine(error), message: "not valid YAML: \(yamlMessage(error))")
        }
        guard let mapping = root.mapping else {
            throw SpecError(line: line(root), message: "a stream spec is a mapping of keys (stream, time, fields, key, id)")
        }
        var values: [String: (Node, Int?)] = [:]
        for (k, v) in mapping {
            guard let name = k.string else {
                throw SpecError(line: line(k), message: "keys must be plain names")
            }
            guard knownKeys.contains(name) else {
                let hint = knownKeys.sorted().joined(separator: ", ")
                throw SpecError(line: line(k), message: "unknown key '\(name)' (allowed: \(hint))")
            }
            values[name] = (v, line(k))
        }
        func scalar(_ name: String, required: Bool) throws -> String? {
            guard let (node, keyLine) = values[name] else {
                if required { throw SpecError(line: nil, message: "missing required key '\(name)'") }
                return nil
            }
            guard let s = node.scalar?.string, !s.isEmpty else {
                throw SpecError(line: line(node) ?? keyLine, message: "'\(name)' must be a non-empty string")
            }
            return s
        }
        let stream = try scalar("stream", required: true)!
        guard isSafeName(stream) else {
            throw SpecError(line: values["stream"]?.1, message: "stream name '\(stream)' must match [A-Za-z0-9_.-]+ and not start with '.'")
        }
        let time = try scalar("time", required: true)!
        let key = try scalar("key", required: false)
        let id = try scalar("id", required: false)
        guard let (fieldsNode, fieldsLine) = values["fields"] else {
            throw SpecError(line: nil, message: "missing required key 'fields' (a list of numeric field names)")
        }
        guard let seq = fieldsNode.sequence else {
            throw SpecError(line: line(fieldsNode) ?? fieldsLine, message: "'fields' must be a list, for example [fare, distance]")
        }
        var fields: [String] = []
        for item in seq {
            guard let s = item.scalar?.string, !s.isEmpty else {
                throw SpecError(line: line(item), message: "each entry of 'fields' must be a field name")
            }
            fields.append(s)
        }
        var spec = StreamSpec(unchecked: stream, time: time, fields: fields, key: key, id: id)
        do {
            try spec.validate(line: fieldsLine)
        } catch var error as SpecError {
            if error.line == nil { error.line = fieldsLine }
            throw error
        }
        spec.fields = fields
        return spec
    }

    private init(unchecked stream: String, time: String, fields: [String], key: String?, id: String?) {
        self.stream = stream; self.time = time; self.fields = fields; self.key = key; self.id = id
    }

    /// Names must be safe as HDF5 dataset names and archive directory names.
    func validate(line: Int?) throws {
        guard StreamSpec.isSafeName(stream) else {
            throw SpecError(line: nil, message: "stream name '\(stream)' must match [A-Za-z0-9_.-]+ and not start with '.'")
        }
        guard !fields.isEmpty else {
            throw SpecError(line: line, message: "'fields' must name at least one numeric field")
        }
        var seen = Set<String>()
        for f in fields {
            guard !f.contains("/"), !f.contains("\0") else {
                throw SpecError(line: line, message: "field name '\(f)' may not contain '/'")
            }
            guard seen.insert(f).inserted else {
                throw SpecError(line: line, message: "field '\(f)' is listed twice")
            }
            for other in [time, key, id].compactMap({ $0 }) where other == f {
                throw SpecError(line: line, message: "'\(f)' cannot be both a numeric field and the time, key or id field")
            }
        }
    }

    public static func isSafeName(_ s: String) -> Bool {
        guard !s.isEmpty, s.count <= 128, !s.hasPrefix(".") else { return false }
        return s.unicodeScalars.allSatisfy { c in
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "_" || c == "-" || c == "."
        }
    }

    private static func line(_ node: Node) -> Int? { node.mark.map { $0.line } }

    private static func yamlLine(_ error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }

    private static func yamlMessage(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            return problem
        default:
            return "\(error)"
        }
    }
}

/// A spec problem, with the file and line it concerns when known.
public struct SpecError: Error, CustomStringConvertible, Equatable {
    public var file: String?
    public var line: Int?
    public var message: String

    public init(file: String? = nil, line: Int?, message: String) {
        self.file = file; self.line = line; self.message = message
    }

    public var description: String {
        var where_ = file ?? "spec"
        if let line { where_ += ":\(line)" }
        return "\(where_): \(message)"
    }
}
