/// A problem in a configuration file (stream spec, serve config, Cassandra
/// config, training job), naming where it is and what was expected. Printed as
///
///     FILE:LINE: 'key.path': message
///
/// (docs/configuration.md, "Errors"): the file as given, the 1-based line, the
/// dotted key path with `[i]` for list entries, then what is wrong. Parts not
/// known are left out (`FILE: message` when the file cannot be read); a text
/// parsed without a file is called `config`. One format for every kind of file,
/// so editors and scripts can jump to the line, and people read one style.
public struct ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String?
    public var line: Int?
    /// The dotted key path (`kafka.group`, `inputs[0].spec`), nil for the file as a whole.
    public var key: String?
    /// What is wrong, usually starting "expected …".
    public var message: String

    public init(file: String? = nil, line: Int? = nil, key: String? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.key = key.flatMap { $0.isEmpty ? nil : $0 }
        self.message = message
    }

    public var description: String {
        var out = file ?? "config"
        if let line { out += ":\(line)" }
        if let key { out += ": '\(key)'" }
        return out + ": " + message
    }

    /// The same error with `file` filled in when it named none (errors found
    /// while parsing text learn their file from the loader that read it).
    public func inFile(_ path: String?) -> ConfigError {
        var e = self
        if e.file == nil { e.file = path }
        return e
    }
}
