extension Duration {
    /// The duration as floating-point seconds, for metrics and logs.
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) * 1e-18
    }
}
