import Basics
import Yams

/// Typed readers: each returns the value or throws a `ConfigError` saying what
/// was expected at this node's line and key.
extension ConfigNode {
    /// The members of a mapping, refusing keys outside `allowed` (listed in the error).
    public func mapping(allowed: [String]) throws -> ConfigMapping {
        let names = allowed.sorted().joined(separator: ", ")
        guard let mapping = node.mapping else { throw expected("a mapping of \(names)") }
        var members: [(key: String, value: ConfigNode)] = []
        for (k, v) in mapping {
            guard let key = k.string, k.scalar != nil else { throw fail("keys must be plain names") }
            guard allowed.contains(key) else {
                throw ConfigError(file: file, line: k.mark?.line, key: childPath(key), "unknown key (allowed here: \(names))")
            }
            members.append((key, ConfigNode(node: v, path: childPath(key), file: file)))
        }
        return ConfigMapping(node: self, members: members)
    }

    /// The entries of a list, each with its `[i]` key path.
    public func sequence() throws -> [ConfigNode] {
        guard let seq = node.sequence else { throw expected("a list") }
        return seq.enumerated().map { ConfigNode(node: $1, path: "\(path)[\($0)]", file: file) }
    }

    public func string() throws -> String {
        guard let s = node.scalar?.string, !s.isEmpty else { throw expected("a non-empty string") }
        return s
    }

    /// A list of non-empty strings.
    public func strings() throws -> [String] { try sequence().map { try $0.string() } }

    public func int(in range: ClosedRange<Int>) throws -> Int {
        guard let v = node.scalar.flatMap({ Int($0.string) }), range.contains(v) else {
            throw expected("a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return v
    }

    public func double() throws -> Double {
        guard let v = node.scalar.flatMap({ Double($0.string) }) else { throw expected("a number") }
        return v
    }

    public func bool() throws -> Bool {
        guard let v = node.bool else { throw expected("true or false") }
        return v
    }

    /// A duration in the one grammar (`250ms`, `90s`, `5m`, `1h30m`, `7d`, `2w`).
    public func timeSpan() throws -> TimeSpan {
        guard let s = node.scalar?.string else { throw expected("a duration such as 90s, 5m, 1h30m or 7d") }
        do { return try TimeSpan(parsing: s) } catch { throw fail(error.description) }
    }

    /// A mapping of names to scalar values, taken as text (librdkafka properties and the like).
    public func stringMap() throws -> [String: String] {
        guard let mapping = node.mapping else { throw expected("a mapping of names to values") }
        var out: [String: String] = [:]
        for (k, v) in mapping {
            guard let key = k.string, let value = v.scalar?.string else {
                throw ConfigError(file: file, line: k.mark?.line, key: path, "expected every entry to be a name and a scalar value")
            }
            out[key] = value
        }
        return out
    }

    /// The node at a key path below this one (`replication.class`, `contact_points[1]`), if present.
    public func child(at relativePath: String) -> ConfigNode? {
        var here = self
        for part in relativePath.split(separator: ".") {
            var name = Substring(part)
            var indices: [Int] = []
            while name.hasSuffix("]"), let open = name.lastIndex(of: "["), let i = Int(name[name.index(after: open)..<name.index(before: name.endIndex)]) {
                indices.insert(i, at: 0)
                name = name[..<open]
            }
            if !name.isEmpty {
                guard let value = here.node.mapping?[String(name)] else { return nil }
                here = ConfigNode(node: value, path: here.childPath(String(name)), file: file)
            }
            for i in indices {
                guard let seq = here.node.sequence, seq.indices.contains(i) else { return nil }
                here = ConfigNode(node: seq[i], path: "\(here.path)[\(i)]", file: file)
            }
        }
        return here
    }

    /// An error whose key is relative to this node (from a check that knows
    /// only key names, like `CassandraConfig.validate()`), placed in the file:
    /// the key becomes a full path and the line is that key's, or the nearest
    /// present ancestor's.
    public func locate(_ error: ConfigError) -> ConfigError {
        guard error.line == nil else { return error.inFile(file) }
        var target = self
        if let key = error.key {
            var parts = key.split(separator: ".").map(String.init)
            while !parts.isEmpty, child(at: parts.joined(separator: ".")) == nil { parts.removeLast() }
            target = child(at: parts.joined(separator: ".")) ?? self
        }
        let key = error.key.map { childPath($0) } ?? (path.isEmpty ? nil : path)
        return ConfigError(file: error.file ?? file, line: target.line, key: key, error.message)
    }
}

/// The members of a mapping that passed `mapping(allowed:)`, in document order.
public struct ConfigMapping {
    /// The mapping itself, for errors about it as a whole.
    public let node: ConfigNode
    public let members: [(key: String, value: ConfigNode)]

    public subscript(key: String) -> ConfigNode? { members.first { $0.key == key }?.value }

    /// The member `key`, or an error at the mapping's line naming the missing key.
    public func required(_ key: String) throws -> ConfigNode {
        guard let v = self[key] else { throw ConfigError(file: node.file, line: node.line, key: node.childPath(key), "missing key") }
        return v
    }
}
