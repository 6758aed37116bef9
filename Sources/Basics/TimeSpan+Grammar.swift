/// The duration grammar: one or more `<digits><unit>` terms written together
/// and summed (`1h30m`), units `ms`, `s`, `m`, `h`, `d`, `w`; blanks around the
/// whole are ignored. A bare number is refused because its unit would be a
/// guess (seconds? milliseconds?), and so is anything that overflows 64-bit
/// milliseconds. Days and weeks are exactly 24 h and 7 d (no calendar).
extension TimeSpan: LosslessStringConvertible {
    /// Why a text is not a duration; its description is a whole sentence to print.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var text: String
        public var reason: String
        public var description: String {
            "'\(text)' is not a duration (\(reason)): write a number and a unit (ms, s, m, h, d, w), e.g. 250ms, 90s, 5m, 1h30m, 7d, 2w"
        }
    }

    /// The units, largest first, as `description` writes them.
    public static let units: [(name: String, milliseconds: Int64)] = [
        ("w", 604_800_000), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1),
    ]

    /// Parses the grammar above; throws a `ParseError` naming what is wrong.
    public init(parsing text: String) throws(ParseError) {
        func fail(_ reason: String) -> ParseError { ParseError(text: text, reason: reason) }
        var b = Substring(text).utf8[...]
        while let f = b.first, f == 0x20 || f == 0x09 { b = b.dropFirst() }
        while let l = b.last, l == 0x20 || l == 0x09 { b = b.dropLast() }
        guard !b.isEmpty else { throw fail("it is empty") }
        var total: Int64 = 0
        while !b.isEmpty {
            let digits = b.prefix { $0 >= 0x30 && $0 <= 0x39 }
            b = b.dropFirst(digits.count)
            let unitText = b.prefix { $0 >= 0x61 && $0 <= 0x7A }
            b = b.dropFirst(unitText.count)
            guard !unitText.isEmpty else {
                if !b.isEmpty { throw fail("unexpected '\(Substring(b).prefix(1))'") }
                throw fail(total == 0 ? "a bare number has no unit" : "its last number has no unit")
            }
            guard !digits.isEmpty else { throw fail("'\(String(decoding: unitText, as: UTF8.self))' needs a number before it") }
            let name = String(decoding: unitText, as: UTF8.self)
            guard let unit = Self.units.first(where: { $0.name == name })?.milliseconds else { throw fail("unknown unit '\(name)'") }
            var n: Int64 = 0
            for d in digits {
                let (m, o1) = n.multipliedReportingOverflow(by: 10)
                let (v, o2) = m.addingReportingOverflow(Int64(d - 0x30))
                guard !o1, !o2 else { throw fail("too large") }
                n = v
            }
            let (part, o1) = n.multipliedReportingOverflow(by: unit)
            let (sum, o2) = total.addingReportingOverflow(part)
            guard !o1, !o2 else { throw fail("too large") }
            total = sum
        }
        milliseconds = total
    }

    /// Nil for anything `init(parsing:)` refuses.
    public init?(_ description: String) {
        guard let span = try? TimeSpan(parsing: description) else { return nil }
        self = span
    }

    /// The span in the same grammar, largest units first (`5400000` ms is `1h30m`,
    /// `0` is `0ms`), so what is printed can be pasted back. A negative span (only
    /// arithmetic makes one; the grammar has no sign) is written with a leading `-`.
    public var description: String {
        if milliseconds == 0 { return "0ms" }
        // The magnitude as UInt64, so Int64.min has one too.
        var rest = milliseconds.magnitude
        var out = milliseconds < 0 ? "-" : ""
        for (name, size) in Self.units where rest >= UInt64(size) {
            out += "\(rest / UInt64(size))\(name)"
            rest %= UInt64(size)
        }
        return out
    }
}
