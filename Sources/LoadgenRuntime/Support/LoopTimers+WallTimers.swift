import LoadgenCore
import LoadgenHTTP

/// The engine's sleeps on the loop timers: a stop signal wakes a sleeper by its timer entry, so a
/// thinking user is one task and one entry, not a task group of three.
extension LoopTimers: WallTimers {
    /// On the loop timers' shard `home % loops`: the loop a user's pooled connections are on (the HTTP
    /// client's shards are the same loops, picked by the user's index), where its task then wakes.
    public func sleep(until deadline: ContinuousClock.Instant, or stop: StopSignal?, home: Int?) async {
        var registration: Int?
        await sleep(until: deadline, shard: home) { wake in
            guard let stop else { return }
            registration = stop.onTrigger(wake)
            if registration == nil { wake() }  // it fired before the sleep was filed
        }
        if let registration { stop?.forget(registration) }
    }

    /// The event loops.
    public var homes: Int { shardCount }

    public var resolution: Duration { LoopTimers.tick }
}

extension WallClock {
    /// The wall clock on the process's loop timers: the one real runs use.
    public static let loops = WallClock(timers: LoopTimers.shared)
}
