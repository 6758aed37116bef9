extension Duration {
    /// Whole milliseconds, rounded up so a positive timeout never becomes zero.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    }

    var timeoutMs: Int32 { Int32(clamping: milliseconds) }
}
