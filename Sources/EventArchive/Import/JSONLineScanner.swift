/// A small JSON scanner for one JSON-lines record: it validates the whole line
/// but only locates the values of the members the spec names, skipping any other
/// member (nested objects and arrays included). Nothing is allocated unless a
/// key or string value uses escapes.
struct JSONLineScanner {
    /// A member value, located in the line's bytes.
    enum Value {
        /// The string's content between its quotes; `escaped` when it holds backslash escapes.
        case string(Range<Int>, escaped: Bool)
        case number(Range<Int>)
        case bool(Bool)
        case null
        /// An object or array.
        case composite
    }

    struct Failure: Error {
        let message: String
    }

    /// Deeper nesting is refused rather than risking the stack on hostile input.
    static let maxDepth = 256

    let b: UnsafeBufferPointer<UInt8>
    private var i = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { b = bytes }

    /// Scans the line as one object; `slots[k]` receives the value of member `names[k]` (the last, if repeated).
    mutating func scanObject(names: [[UInt8]], into slots: inout [Value?]) throws(Failure) {
        skipSpace()
        guard i < b.count, b[i] == 123 else { throw notAnObject() }
        i += 1
        skipSpace()
        if i < b.count, b[i] == 125 {
            i += 1
        } else {
            while true {
                guard i < b.count, b[i] == 34 else { throw invalid("expected a member name in double quotes") }
                let (key, escaped) = try string()
                let slot = match(key, escaped: escaped, names: names)
                skipSpace()
                guard i < b.count, b[i] == 58 else { throw invalid("expected ':' after a member name") }
                i += 1
                skipSpace()
                let value = try value(depth: 1)
                if let slot { slots[slot] = value }
                skipSpace()
                guard i < b.count else { throw invalid("the object is not closed") }
                if b[i] == 125 {
                    i += 1
                    break
                }
                guard b[i] == 44 else { throw invalid("expected ',' or '}'") }
                i += 1
                skipSpace()
            }
        }
        skipSpace()
        guard i == b.count else { throw invalid("unexpected text after the object") }
    }

    /// Why a line that does not start with `{` is refused: not JSON at all, or JSON of another kind.
    private mutating func notAnObject() -> Failure {
        guard i < b.count else { return Failure(message: "invalid JSON: the line is empty") }
        let kind: String
        switch b[i] {
        case 91: kind = "an array"
        case 34: kind = "a string"
        case 116, 102: kind = "a boolean"
        case 110: kind = "null"
        default: kind = "a number"
        }
        do {
            _ = try value(depth: 0)
            skipSpace()
            if i == b.count { return Failure(message: "expected a JSON object, found \(kind)") }
            return invalid("unexpected text after the value")
        } catch {
            return error
        }
    }

    private func match(_ key: Range<Int>, escaped: Bool, names: [[UInt8]]) -> Int? {
        if escaped {
            let decoded = Array(JSONText.decode(UnsafeBufferPointer(rebasing: b[key])).utf8)
            return names.firstIndex(of: decoded)
        }
        let n = key.count
        for (k, name) in names.enumerated() where name.count == n {
            var same = true
            for j in 0..<n where b[key.lowerBound + j] != name[j] {
                same = false
                break
            }
            if same { return k }
        }
        return nil
    }

    private mutating func value(depth: Int) throws(Failure) -> Value {
        guard i < b.count else { throw invalid("expected a value") }
        switch b[i] {
        case 34:
            let (range, escaped) = try string()
            return .string(range, escaped: escaped)
        case 123, 91:
            try composite(depth: depth + 1)
            return .composite
        case 116: try literal("true"); return .bool(true)
        case 102: try literal("false"); return .bool(false)
        case 110: try literal("null"); return .null
        case 45, 48...57: return .number(try number())
        default: throw invalid("unexpected character \(Self.show(b[i]))")
        }
    }

    /// Skips a whole object or array, validating it.
    private mutating func composite(depth: Int) throws(Failure) {
        guard depth <= Self.maxDepth else { throw invalid("nesting deeper than \(Self.maxDepth) levels") }
        let isObject = b[i] == 123
        let close: UInt8 = isObject ? 125 : 93
        i += 1
        skipSpace()
        if i < b.count, b[i] == close {
            i += 1
            return
        }
        while true {
            if isObject {
                guard i < b.count, b[i] == 34 else { throw invalid("expected a member name in double quotes") }
                _ = try string()
                skipSpace()
                guard i < b.count, b[i] == 58 else { throw invalid("expected ':' after a member name") }
                i += 1
                skipSpace()
            }
            _ = try value(depth: depth)
            skipSpace()
            guard i < b.count else { throw invalid(isObject ? "an object is not closed" : "an array is not closed") }
            if b[i] == close {
                i += 1
                return
            }
            guard b[i] == 44 else { throw invalid(isObject ? "expected ',' or '}'" : "expected ',' or ']'") }
            i += 1
            skipSpace()
        }
    }

    /// A string starting at the opening quote; returns its content range.
    private mutating func string() throws(Failure) -> (Range<Int>, Bool) {
        let start = i + 1
        var j = start, escaped = false
        while j < b.count {
            let c = b[j]
            if c == 34 {
                i = j + 1
                return (start..<j, escaped)
            }
            if c == 92 {
                escaped = true
                guard j + 1 < b.count else { break }
                switch b[j + 1] {
                case 34, 92, 47, 98, 102, 110, 114, 116: j += 2
                case 117:
                    guard j + 5 < b.count, (2...5).allSatisfy({ JSONText.hex(b[j + $0]) != nil }) else {
                        i = j
                        throw invalid("bad \\u escape in a string")
                    }
                    j += 6
                default:
                    i = j
                    throw invalid("bad escape \\\(Self.show(b[j + 1])) in a string")
                }
                continue
            }
            if c < 32 {
                i = j
                throw invalid("control character in a string")
            }
            j += 1
        }
        i = start - 1
        throw invalid("unterminated string")
    }

    /// A number by JSON's grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func number() throws(Failure) -> Range<Int> {
        let start = i
        if b[i] == 45 { i += 1 }
        let intStart = i
        let n = digits()
        guard n > 0 else { throw invalid("malformed number") }
        guard n == 1 || b[intStart] != 48 else { throw invalid("malformed number (leading zero)") }
        if i < b.count, b[i] == 46 {
            i += 1
            guard digits() > 0 else { throw invalid("malformed number") }
        }
        if i < b.count, b[i] == 101 || b[i] == 69 {
            i += 1
            if i < b.count, b[i] == 43 || b[i] == 45 { i += 1 }
            guard digits() > 0 else { throw invalid("malformed number") }
        }
        return start..<i
    }

    private mutating func digits() -> Int {
        let start = i
        while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
        return i - start
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let n = word.utf8CodeUnitCount
        guard i + n <= b.count else { throw invalid("unexpected end of line") }
        let p = word.utf8Start
        for k in 0..<n where b[i + k] != p[k] { throw invalid("unexpected character \(Self.show(b[i]))") }
        i += n
    }

    private mutating func skipSpace() {
        while i < b.count, b[i] == 32 || b[i] == 9 || b[i] == 10 || b[i] == 13 { i += 1 }
    }

    private func invalid(_ what: String) -> Failure {
        Failure(message: "invalid JSON at column \(i + 1): \(what)")
    }

    private static func show(_ c: UInt8) -> String {
        c >= 32 && c < 127 ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16))"
    }
}
