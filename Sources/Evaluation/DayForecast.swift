/// One method's forecast of a day from one origin: per cell the point forecast and the 80% and 95% bands
/// (NaN where it gave none).
public struct DayForecast: Sendable, Equatable {
    public static let coverages = [0.8, 0.95]

    public var mean: [Double]
    /// `[coverage][cell]`, coverages as `coverages`.
    public var lower: [[Double]]
    public var upper: [[Double]]

    public init(mean: [Double], lower: [[Double]], upper: [[Double]]) {
        self.mean = mean
        self.lower = lower
        self.upper = upper
    }

    /// A forecast of `steps` cells with nothing in it (a method that failed at this origin).
    static func missing(steps: Int) -> DayForecast {
        let none = [Double](repeating: .nan, count: steps)
        return DayForecast(mean: none, lower: coverages.map { _ in none }, upper: coverages.map { _ in none })
    }
}
