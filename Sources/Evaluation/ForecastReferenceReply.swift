/// The forecast bench's child Python's answer for one series: per method and origin, CPU seconds, what the
/// model was, or why it failed (the forecasts themselves are in the request's output file).
struct ForecastReferenceReply: Decodable {
    struct Method: Decodable {
        var name: String
        var cpu: [Double]
        var errors: [String?]
        var models: [String?]
    }

    var methods: [Method]?
    var error: String?
}
