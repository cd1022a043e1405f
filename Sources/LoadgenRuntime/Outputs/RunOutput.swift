import LoadgenCore

/// Something that consumes a run as it goes and when it ends: the progress line, live metrics, the
/// report files. Every output is fed by the one stream of snapshots the engine publishes.
///
/// ```swift
/// struct TurnsLine: RunOutput {
///     func update(_ snapshot: Progress) async { print(snapshot.metrics.turns) }
///     func finish(_ report: Report) async throws(LoadgenFailure) -> [String] { [] }
/// }
/// ```
public protocol RunOutput: Sendable {
    /// A snapshot, at the end of every timeline interval.
    func update(_ snapshot: Progress) async
    /// The run ended with `report`; returns the paths of the files written, if any.
    func finish(_ report: Report) async throws(LoadgenFailure) -> [String]
}

extension [any RunOutput] {
    /// Feeds every snapshot of `snapshots` to each output, in order, until the stream ends.
    func consume(_ snapshots: AsyncStream<Progress>) async {
        for await snapshot in snapshots {
            for output in self { await output.update(snapshot) }
        }
    }

    /// Ends every output with `report`; the files written, in order.
    func finish(_ report: Report) async throws(LoadgenFailure) -> [String] {
        var paths: [String] = []
        for output in self { paths += try await output.finish(report) }
        return paths
    }
}
