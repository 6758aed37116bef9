/// Tokens of the CQL subset the test node understands.
enum Token: Equatable, Sendable {
    case word(String)  // unquoted identifier or keyword, as written
    case quoted(String)  // "quoted identifier"
    case string(String)
    case number(String)
    case uuid(String)
    case hex(String)
    case symbol(String)
    case marker  // ?

    func isKeyword(_ k: String) -> Bool {
        if case .word(let w) = self { return w.caseInsensitiveCompare(k) == .orderedSame }
        return false
    }
}

/// A statement the node cannot read; answered with a SyntaxError.
struct SyntaxError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

enum Lexer {
    static func tokens(_ text: String) throws -> [Token] {
        let s = Array(text.unicodeScalars)
        var i = 0
        var out: [Token] = []
        func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }
        while i < s.count {
            let c = s[i]
            if c.properties.isWhitespace { i += 1; continue }
            if c == "-", peek(1) == "-" { while let p = peek(), p != "\n" { i += 1 }; continue }
            if c == "/", peek(1) == "*" {
                i += 2
                while i < s.count, !(s[i] == "*" && peek(1) == "/") { i += 1 }
                i += 2
                continue
            }
            if c == "'" || c == "\"" {
                var value = ""
                i += 1
                while true {
                    guard let p = peek() else { throw SyntaxError("unterminated \(c == "'" ? "string" : "quoted name")") }
                    i += 1
                    if p == c {
                        if peek() == c { value.unicodeScalars.append(c); i += 1; continue }
                        break
                    }
                    value.unicodeScalars.append(p)
                }
                out.append(c == "'" ? .string(value) : .quoted(value))
                continue
            }
            if c.properties.isAlphabetic || c == "_" || c.properties.numericType != nil || (c == "-" && peek(1)?.properties.numericType != nil) {
                var word = String(c)
                i += 1
                while let p = peek(), p.properties.isAlphabetic || p == "_" || p.properties.numericType != nil || p == "-" || p == "."
                    || ((p == "+" || p == "-") && (word.last == "e" || word.last == "E")) {
                    if p == ".", word.unicodeScalars.first?.properties.numericType == nil, word.first != "-" { break }
                    if p == "-", !isHexDigits(word.replacingOccurrences(of: "-", with: "")) { break }
                    word.unicodeScalars.append(p)
                    i += 1
                }
                out.append(classify(word))
                continue
            }
            let two = peek(1).map { String(c) + String($0) }
            if let two, ["<=", ">=", "!="].contains(two) {
                out.append(.symbol(two))
                i += 2
                continue
            }
            guard "(),;=<>*.?{}[]:+".unicodeScalars.contains(c) else { throw SyntaxError("unexpected character '\(c)'") }
            out.append(c == "?" ? .marker : .symbol(String(c)))
            i += 1
        }
        return out
    }

    private static func isHexDigits(_ s: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.isASCIIHexDigit }
    }

    private static func classify(_ word: String) -> Token {
        if word.count == 36, word.filter({ $0 == "-" }).count == 4, isHexDigits(word.replacingOccurrences(of: "-", with: "")) {
            return .uuid(word)
        }
        if word.hasPrefix("0x") || word.hasPrefix("0X") { return .hex(String(word.dropFirst(2))) }
        if let f = word.unicodeScalars.first, f.properties.numericType != nil || f == "-" { return .number(word) }
        return .word(word)
    }
}
