extension Report.RunInfo {
    /// A shard of a hub (`loadgen run --hub`): where the hub was, the run's one start, and how this shard's
    /// clock stood to the hub's — replies are timed from the shard's clock to the hub's, converted by it.
    public struct Hub: Sendable, Codable, Equatable {
        /// The hub, as `--hub` named it.
        public var url: String
        /// The run's start, every shard's alike: the hub's wall clock, ISO 8601 with milliseconds.
        public var start: String
        /// The same, milliseconds since 1970 (what `loadgen merge` aligns timelines by).
        public var startUnixMilliseconds: Int64
        /// This shard's clock minus the hub's, milliseconds, estimated from round trips on the control
        /// connection (nil in a merged report: each shard had its own).
        public var clockOffsetMilliseconds: Double?
        /// How far the offset may be off (half the best probe's round trip; a merged report: the worst shard's).
        public var clockUncertaintyMilliseconds: Double
        /// Round trips probed (merged: all shards').
        public var clockProbes: Int
        /// Seconds into the run when the shard lost the hub (absent: it never did); its turns still waiting
        /// then, and any after, are `hub_lost`. Merged: the earliest loss.
        public var lostAtSeconds: Double?

        public init(url: String, start: String, startUnixMilliseconds: Int64, clockOffsetMilliseconds: Double?,
                    clockUncertaintyMilliseconds: Double, clockProbes: Int, lostAtSeconds: Double? = nil) {
            self.url = url
            self.start = start
            self.startUnixMilliseconds = startUnixMilliseconds
            self.clockOffsetMilliseconds = clockOffsetMilliseconds
            self.clockUncertaintyMilliseconds = clockUncertaintyMilliseconds
            self.clockProbes = clockProbes
            self.lostAtSeconds = lostAtSeconds
        }

        /// The shards' hub sections as the merged run's: the earliest start and loss, the worst uncertainty.
        static func merged(_ shards: [Hub]) -> Hub? {
            guard var merged = shards.min(by: { $0.startUnixMilliseconds < $1.startUnixMilliseconds }) else { return nil }
            merged.clockOffsetMilliseconds = shards.count == 1 ? merged.clockOffsetMilliseconds : nil
            merged.clockUncertaintyMilliseconds = shards.map(\.clockUncertaintyMilliseconds).max() ?? 0
            merged.clockProbes = shards.reduce(0) { $0 + $1.clockProbes }
            merged.lostAtSeconds = shards.compactMap(\.lostAtSeconds).min()
            return merged
        }
    }
}

extension Timeline {
    /// The timeline of a shard that started `seconds` after the earliest shard, on the earliest one's
    /// time axis: every point moved by whole intervals (the nearest number of them), so the shards'
    /// points still meet and add. Shards started together by a hub move by nothing.
    public func shifted(by seconds: Double) -> Timeline {
        let steps = intervalSeconds > 0 ? (seconds / intervalSeconds).rounded() : 0
        guard steps != 0 else { return self }
        var moved = self
        for i in moved.points.indices { moved.points[i].t = ((moved.points[i].t + steps * intervalSeconds) * 1000).rounded() / 1000 }
        return moved
    }
}
