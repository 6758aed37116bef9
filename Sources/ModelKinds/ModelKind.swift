import AnomalyModels
import EventArchive

/// Everything Forewarn knows about one kind of model, in one place: its name,
/// its parameters and their help, how it is fitted, loaded and verified, how
/// it scores events (the one adapter that `serve`, offline `score` and the
/// backtest all use, so their scores agree), and how it is backtested.
/// `ModelKinds` is the table of them; nothing else switches on a kind's name.
public protocol ModelKind: Sendable {
    /// The canonical name, written in model files (`model_kind`) and in the registry.
    var name: String { get }
    /// Other spellings accepted on the command line, in job files and in older model files.
    var aliases: [String] { get }
    /// One line for `--help`.
    var summary: String { get }
    /// `key=default  meaning` lines for `train --help`.
    var parameterHelp: [String] { get }
    /// How far the challenger's backtest may fall behind the champion's before a job keeps it a candidate.
    var defaultMaxRegression: Double { get }

    /// `settings` (key=value) in one canonical spelling, defaults and the seed spelled out and sorted,
    /// so equal settings compare equal; throws the parameters' own error for a bad one.
    func canonicalParameters(_ settings: [String], seed: UInt64?) throws -> [String]

    /// Fits on `data` (rows in archive order, every series of the window).
    func fit(_ data: ForecastColumns, settings: [String], seed: UInt64?) throws -> FittedModel

    /// Loads the model file at `path` as its scoring adapter; throws when it does not load.
    func load(path: String) throws -> any ScoringModel

    /// Whether `backtest` reads `history` (a sharded run then reads the training window once more for it).
    var backtestNeedsHistory: Bool { get }

    /// Scores the model at `path` on a held-out slice, after `history` (the training window).
    func backtest(modelAt path: String, history: ForecastColumns, holdout: Holdout) throws -> Backtest
}

extension ModelKind {
    public var aliases: [String] { [] }
    public var defaultMaxRegression: Double { 0.01 }
    public var backtestNeedsHistory: Bool { false }

    /// Whether `text` names this kind.
    public func answers(to text: String) -> Bool { text == name || aliases.contains(text) }
}

/// A kind whose fit can be split over processes by series and merged
/// (`train --shard I/N`). Kinds that do not conform cannot be sharded.
public protocol ShardableModelKind: ModelKind {
    /// Refuses settings that no shard of `count` could fit its share of, before anything is staged.
    func checkShards(settings: [String], count: Int) throws
    /// Fits shard `index` of `count` on its series of the window `window`.
    func fitShard(_ data: ForecastColumns, settings: [String], shard index: Int, of count: Int, window: Range<Int64>) throws
        -> ShardShare
    /// One model from every shard's share (shards without rows left out).
    func merge(_ shares: [StoredShare], settings: [String]) throws -> FittedModel
}

/// Where one shard's files go in a run's staging directory.
public struct ShardFiles: Sendable {
    public var model: String
    /// Rows kept for the merge (raw float64, row-major), for kinds that need them.
    public var sample: String

    public init(model: String, sample: String) {
        self.model = model
        self.sample = sample
    }
}

/// What one shard fitted, before it is staged.
public struct ShardShare {
    /// Rows kept in the sample file (0 when the kind keeps none).
    public var sampleRows: Int
    /// Writes the shard's files.
    public var write: (ShardFiles) throws -> Void

    public init(sampleRows: Int, write: @escaping (ShardFiles) throws -> Void) {
        self.sampleRows = sampleRows
        self.write = write
    }
}

/// A staged shard, as the merge reads it back.
public struct StoredShare: Sendable {
    public var shard: Int
    public var rows: Int
    public var sampleRows: Int
    public var files: ShardFiles

    public init(shard: Int, rows: Int, sampleRows: Int, files: ShardFiles) {
        self.shard = shard
        self.rows = rows
        self.sampleRows = sampleRows
        self.files = files
    }
}

/// A model kind refused, or a model it cannot use.
public struct ModelKindError: Error, CustomStringConvertible, Equatable, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
