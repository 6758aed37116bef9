/// Model names and aliases become directory and file names and appear in
/// shell commands, so they are restricted to a set that needs no quoting and
/// cannot climb out of the registry: letters, digits, `-` and `_`, starting
/// with a letter or digit, at most 64 characters. Dots are excluded, which
/// also keeps every scratch name the registry uses (`.tmp-*`, `.lock`) apart.
enum RegistryName {
    static let maxLength = 64

    static func check(_ value: String, what: String) throws(RegistryError) {
        if let reason = problem(value) { throw .invalidName(what: what, value: value, reason: reason) }
    }

    static func isValid(_ value: String) -> Bool { problem(value) == nil }

    private static func problem(_ value: String) -> String? {
        guard !value.isEmpty else { return "it is empty" }
        guard value.utf8.count <= maxLength else { return "longer than \(maxLength) characters" }
        guard let first = value.unicodeScalars.first, isAlphanumeric(first) else {
            return "it must start with a letter or digit"
        }
        if let bad = value.unicodeScalars.first(where: { !isAlphanumeric($0) && $0 != "-" && $0 != "_" }) {
            return "character '\(bad.escaped(asASCII: true))' is not allowed (use letters, digits, '-' and '_')"
        }
        return nil
    }

    private static func isAlphanumeric(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
    }
}
