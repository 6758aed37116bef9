import Basics
import Foundation
import Yams

/// A node of a parsed YAML configuration with everything an error needs: the
/// file it came from, its line and the dotted key path that led to it. Loaders
/// walk these nodes (or `decode` a `Decodable` from them) instead of
/// re-serialising YAML, so a value nested in another file's section still
/// reports its own line (`serve.yaml:14: 'cassandra.port': …`).
public struct ConfigNode {
    let node: Node
    /// The dotted key path from the document root (`kafka.group`, `inputs[0]`); empty for the root.
    public let path: String
    /// The file the document was read from, when it was read from one.
    public let file: String?

    init(node: Node, path: String, file: String?) {
        self.node = node
        self.path = path
        self.file = file
    }

    /// The 1-based line the node starts on, when known.
    public var line: Int? { node.mark?.line }

    /// The root of a YAML document. A syntax error is a `ConfigError` at its line.
    public static func parse(yaml text: String, file: String? = nil) throws -> ConfigNode {
        do {
            guard let node = try Yams.compose(yaml: text) else { throw ConfigError(file: file, "the file is empty") }
            return ConfigNode(node: node, path: "", file: file)
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                .composer(_, let problem, let mark, _):
                throw ConfigError(file: file, line: mark.line, "not valid YAML: \(problem)")
            default:
                throw ConfigError(file: file, "not valid YAML: \(error)")
            }
        }
    }

    /// The root of the YAML document in the file at `path` (UTF-8 text).
    public static func load(path: String) throws -> ConfigNode {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError(file: path, unreadable(path)) }
        guard let text = String(data: data, encoding: .utf8) else { throw ConfigError(file: path, "the file is not UTF-8 text") }
        return try parse(yaml: text, file: path)
    }

    /// Why `path` cannot be read, in the operator's words: missing, a directory, or the system's reason.
    static func unreadable(_ path: String) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return "no such file" }
        if isDirectory.boolValue { return "a directory, not a file" }
        let fd = open(path, O_RDONLY)
        if fd >= 0 {
            close(fd)
            return "cannot read the file"
        }
        return "cannot read the file: \(String(cString: strerror(errno)))"
    }

    /// An error about this node: its file, line and key path.
    public func fail(_ message: String) -> ConfigError {
        ConfigError(file: file, line: line, key: path, message)
    }

    /// "expected X, found Y": the wording of every type error.
    public func expected(_ what: String) -> ConfigError { fail("expected \(what), found \(found)") }

    /// What the node holds, in words, for "found …".
    var found: String {
        switch node {
        case .scalar(let s): s.string.isEmpty ? "nothing" : "'\(s.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// A path written in the file, made absolute against the file's folder
    /// (the working directory for text read without a file), so a config means
    /// the same wherever it is run from.
    public func resolve(_ path: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        let base = file.map { URL(fileURLWithPath: $0).deletingLastPathComponent() }
            ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        return base.appendingPathComponent(path).standardizedFileURL.path
    }

    /// True for a missing value: an empty scalar, `~` or `null`.
    public var isNull: Bool { node.null != nil }

    /// A child's key path.
    func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}
