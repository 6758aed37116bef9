/// Where long work says how far it got, so that whoever runs it can show it.
///
/// A library takes a reporter and never prints: the command that runs it decides what the reports
/// become (in `forewarn`, a self-updating bar when standard error is a terminal, structured log
/// lines otherwise; docs/operations.md). It lives here, in the module with no dependencies, so the
/// archive, training and evaluation libraries can all report through the same seam.
///
/// Whoever knows a task's name and size starts it: a library for the phases inside one call (the
/// archive reader knows the rows of the parts it will read), a command for the ones it loops over
/// (the files it imports). Calls come from the working thread; a reporter is Sendable so one can be
/// handed to work running elsewhere.
public protocol ProgressReporter: Sendable {
    /// Begins a task of `total` units (nil when not known beforehand); a task still running ends first.
    func start(_ task: String, total: Int?, unit: ProgressUnit)
    /// `done` units of the current task are done. Cheap enough to call once per batch: reporters
    /// only store the count and draw at their own pace.
    func update(_ done: Int)
    /// The current task is over (a no-op when none is running).
    func finish()
}

extension ProgressReporter {
    /// A task of no countable units (a model fit): only its elapsed time can be shown.
    public func start(_ task: String) { start(task, total: nil, unit: .steps) }
}

/// What a task counts; bytes are shown in B/kB/MB, every other unit as a plain count.
public struct ProgressUnit: Sendable, Equatable {
    public var name: String
    public var isBytes: Bool

    public init(_ name: String, isBytes: Bool = false) {
        self.name = name
        self.isBytes = isBytes
    }

    public static let rows = ProgressUnit("rows")
    public static let events = ProgressUnit("events")
    public static let files = ProgressUnit("files")
    public static let bytes = ProgressUnit("bytes", isBytes: true)
    public static let steps = ProgressUnit("steps")
}
