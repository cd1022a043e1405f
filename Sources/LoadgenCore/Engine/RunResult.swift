/// A snapshot published while a run goes on, once per timeline interval: what progress lines and live
/// metrics show.
public struct Progress: Sendable {
    /// Time since the run started.
    public var elapsed: Duration
    /// The planned duration.
    public var duration: Duration
    /// Users currently running.
    public var activeUsers: Int
    /// The headline figures so far (turns, errors, replies, fallbacks, ack and reply histograms;
    /// see `RunMetrics.mergeHeadline`).
    public var metrics: RunMetrics
    /// The interval that just ended, and its length.
    public var latest: Timeline.Point
    public var interval: Duration
    /// The rollback tripwire that fired (from the snapshot it fired in on): the run is stopping.
    public var tripped: Trip?

    public init(elapsed: Duration, duration: Duration, activeUsers: Int, metrics: RunMetrics, latest: Timeline.Point, interval: Duration,
                tripped: Trip? = nil) {
        self.tripped = tripped
        self.elapsed = elapsed
        self.duration = duration
        self.activeUsers = activeUsers
        self.metrics = metrics
        self.latest = latest
        self.interval = interval
    }
}

/// What a run produced.
public struct RunResult: Sendable {
    /// Everything measured.
    public var metrics: RunMetrics
    /// Time from start to the last in-flight reply.
    public var elapsed: Duration
    /// True when the run was stopped early (Ctrl-C, SIGTERM): the report is marked partial.
    public var partial: Bool
    /// The run interval by interval, up to the last in-flight reply.
    public var timeline: Timeline
    /// The rollback tripwire that stopped the run, if one did (the run is not partial: it stopped itself).
    public var tripped: Trip?

    public init(metrics: RunMetrics, elapsed: Duration, partial: Bool, timeline: Timeline, tripped: Trip? = nil) {
        self.tripped = tripped
        self.metrics = metrics
        self.elapsed = elapsed
        self.partial = partial
        self.timeline = timeline
    }
}
