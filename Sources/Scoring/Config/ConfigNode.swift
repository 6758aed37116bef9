import Foundation
import Yams

/// A configuration problem, naming the file, line and key it concerns.
public struct ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String?
    public var line: Int?
    public var message: String

    public init(file: String? = nil, line: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        var at = file ?? "config"
        if let line { at += ":\(line)" }
        return "\(at): \(message)"
    }
}

/// A YAML node with the dotted path that led to it, so every complaint says
/// where it is (`kafka.group`, line 4) and what was expected.
struct ConfigNode {
    let node: Node
    let path: String

    static func parse(_ text: String) throws -> ConfigNode {
        do {
            guard let node = try Yams.compose(yaml: text) else { throw ConfigError("the configuration is empty") }
            return ConfigNode(node: node, path: "")
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                .composer(_, let problem, let mark, _):
                throw ConfigError(line: mark.line, "not valid YAML: \(problem)")
            default:
                throw ConfigError("not valid YAML: \(error)")
            }
        }
    }

    var line: Int? { node.mark?.line }

    func fail(_ message: String) -> ConfigError {
        ConfigError(line: line, path.isEmpty ? message : "'\(path)': \(message)")
    }

    /// The members of a mapping, refusing keys outside `allowed`.
    func mapping(allowed: [String]) throws -> [String: ConfigNode] {
        guard let mapping = node.mapping else { throw fail("expected a mapping of \(allowed.joined(separator: ", "))") }
        var out: [String: ConfigNode] = [:]
        for (k, v) in mapping {
            guard let key = k.string else { throw fail("keys must be plain names") }
            let child = ConfigNode(node: v, path: path.isEmpty ? key : "\(path).\(key)")
            guard allowed.contains(key) else {
                throw ConfigError(line: k.mark?.line, "unknown key '\(child.path)' (allowed here: \(allowed.joined(separator: ", ")))")
            }
            out[key] = child
        }
        return out
    }

    func sequence() throws -> [ConfigNode] {
        guard let seq = node.sequence else { throw fail("expected a list") }
        return seq.enumerated().map { ConfigNode(node: $1, path: "\(path)[\($0)]") }
    }

    func string() throws -> String {
        guard let s = node.scalar?.string, !s.isEmpty else { throw fail("expected a non-empty string") }
        return s
    }

    func int(in range: ClosedRange<Int>) throws -> Int {
        guard let s = node.scalar?.string, let v = Int(s), range.contains(v) else {
            throw fail("expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return v
    }

    func stringMap() throws -> [String: String] {
        guard let mapping = node.mapping else { throw fail("expected a mapping of names to values") }
        var out: [String: String] = [:]
        for (k, v) in mapping {
            guard let key = k.string, let value = v.scalar?.string else {
                throw ConfigError(line: k.mark?.line, "'\(path)': every entry must be a name and a scalar value")
            }
            out[key] = value
        }
        return out
    }
}

extension Dictionary where Key == String, Value == ConfigNode {
    func required(_ key: String, in parent: ConfigNode) throws -> ConfigNode {
        guard let v = self[key] else {
            throw parent.fail("missing required key '\(parent.path.isEmpty ? key : "\(parent.path).\(key)")'")
        }
        return v
    }
}
