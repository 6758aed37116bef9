extension StreamSpec {
    /// Provenance keys under which a model records how its stream's times read, so `score --input` reads an
    /// export of that stream the way import did.
    public static let timeFormatKey = "time_format"
    public static let timeZoneKey = "timezone"

    /// The entries for a model's provenance: only those that differ from the defaults.
    public var timeProvenance: [String: String] {
        var p: [String: String] = [:]
        if timeFormat != .auto { p[Self.timeFormatKey] = timeFormat.text }
        if timeZone != "UTC" { p[Self.timeZoneKey] = timeZone }
        return p
    }
}
