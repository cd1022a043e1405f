import LoadgenCore

/// Something that consumes a run as it goes and when it ends: the progress line, live metrics, the
/// report files. Every output is fed by the one stream of snapshots the engine publishes.
///
/// ```swift
/// struct TurnsLine: RunOutput {
///     func prepare() async throws(LoadgenFailure) {}
///     func update(_ snapshot: Progress) async { print(snapshot.metrics.turns) }
///     func finish(_ report: Report) async -> OutputResult { OutputResult() }
/// }
/// ```
public protocol RunOutput: Sendable {
    /// Before anything runs: find out now what would fail at the end (a report directory that cannot be
    /// written), so no run is lost to it.
    func prepare() async throws(LoadgenFailure)
    /// A snapshot, at the end of every timeline interval.
    func update(_ snapshot: Progress) async
    /// The run ended with `report`: the files written, and what could not be.
    func finish(_ report: Report) async -> OutputResult
}

/// What an output left when the run ended.
public struct OutputResult: Sendable {
    /// Files written, in order.
    public var paths: [String] = []
    /// What could not be written (the run's report is still printed).
    public var failure: LoadgenFailure? = nil

    public init(paths: [String] = [], failure: LoadgenFailure? = nil) {
        self.paths = paths
        self.failure = failure
    }
}

extension [any RunOutput] {
    /// Prepares every output; the first that cannot run stops the run before it starts.
    func prepare() async throws(LoadgenFailure) {
        for output in self { try await output.prepare() }
    }

    /// Feeds every snapshot of `snapshots` to each output, in order, until the stream ends.
    func consume(_ snapshots: AsyncStream<Progress>) async {
        for await snapshot in snapshots {
            for output in self { await output.update(snapshot) }
        }
    }

    /// Ends every output with `report`: all the files written, and the first failure.
    func finish(_ report: Report) async -> OutputResult {
        var result = OutputResult()
        for output in self {
            let one = await output.finish(report)
            result.paths += one.paths
            result.failure = result.failure ?? one.failure
        }
        return result
    }
}
