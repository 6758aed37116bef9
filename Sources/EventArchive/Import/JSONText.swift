/// Helpers for JSON string contents, kept apart from the scanner because they are only
/// needed on the rare strings that use backslash escapes.
enum JSONText {
    static func hex(_ c: UInt8) -> UInt32? {
        switch c {
        case 48...57: return UInt32(c - 48)
        case 97...102: return UInt32(c - 87)
        case 65...70: return UInt32(c - 55)
        default: return nil
        }
    }

    /// The text of a validated string's content, with escapes decoded; lone surrogates become U+FFFD.
    static func decode(_ s: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: decodedBytes(s).bytes, as: UTF8.self)
    }

    /// A validated string's content with escapes decoded, as bytes (invalid UTF-8 outside the
    /// escapes kept as it is), and whether an escape was a lone surrogate (decoded as U+FFFD).
    static func decodedBytes(_ s: UnsafeBufferPointer<UInt8>) -> (bytes: [UInt8], loneSurrogate: Bool) {
        var loneSurrogate = false
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var j = 0
        func unit(at k: Int) -> UInt32 {
            (1...4).reduce(UInt32(0)) { $0 << 4 | (hex(s[k + $1]) ?? 0) }
        }
        while j < s.count {
            guard s[j] == 92, j + 1 < s.count else {
                out.append(s[j])
                j += 1
                continue
            }
            let e = s[j + 1]
            j += 2
            switch e {
            case 98: out.append(8)
            case 102: out.append(12)
            case 110: out.append(10)
            case 114: out.append(13)
            case 116: out.append(9)
            case 117:
                var scalar = unit(at: j - 1)
                j += 4
                if (0xD800..<0xDC00).contains(scalar), j + 5 < s.count, s[j] == 92, s[j + 1] == 117 {
                    let low = unit(at: j + 1)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        j += 6
                    }
                }
                if Unicode.Scalar(scalar) == nil { loneSurrogate = true }
                out.append(contentsOf: Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8))
            default: out.append(e)
            }
        }
        return (out, loneSurrogate)
    }
}
