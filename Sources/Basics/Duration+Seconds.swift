extension Duration {
    /// The duration in fractional seconds, for rates, metrics and reports (the
    /// one conversion every module uses, instead of a copy in each).
    public var inSeconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) * 1e-18
    }
}
