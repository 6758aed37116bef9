import Foundation

extension Simulator {
    /// Milliseconds in a duration such as `250ms`, `30s`, `5m`, `1h`, `1d`, `2w`, or a sum
    /// written together (`1h30m`); nil for anything else, a bare number included (its
    /// unit would be a guess) and on overflow.
    public static func parseDuration(_ s: String) -> Int64? {
        let b = Array(s.trimmingCharacters(in: .whitespaces).utf8)
        guard !b.isEmpty else { return nil }
        var total: Int64 = 0
        var i = 0
        while i < b.count {
            var n: Int64 = 0, digits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                let (m, o1) = n.multipliedReportingOverflow(by: 10)
                let (v, o2) = m.addingReportingOverflow(Int64(b[i] - 48))
                guard !o1, !o2 else { return nil }
                n = v
                digits += 1
                i += 1
            }
            let unitStart = i
            while i < b.count, b[i] >= 97, b[i] <= 122 { i += 1 }
            guard digits > 0, i > unitStart else { return nil }
            let unit: Int64
            switch String(decoding: b[unitStart..<i], as: UTF8.self) {
            case "ms": unit = 1
            case "s": unit = 1000
            case "m": unit = 60_000
            case "h": unit = 3_600_000
            case "d": unit = 86_400_000
            case "w": unit = 604_800_000
            default: return nil
            }
            let (part, o1) = n.multipliedReportingOverflow(by: unit)
            let (sum, o2) = total.addingReportingOverflow(part)
            guard !o1, !o2 else { return nil }
            total = sum
        }
        return total
    }
}
