import LoadgenCore
import LoadgenHTTP

/// The engine's sleeps on the loop timers: a stop signal wakes a sleeper by its timer entry, so a
/// thinking user is one task and one entry, not a task group of three.
extension LoopClock: EngineClock {
    public func sleep(until deadline: Instant, or stop: StopSignal) async {
        await sleep(until: deadline, or: stop, on: nil)
    }

    /// On the loop timers' shard `home % loops`: the loop a user's pooled connections are on (the HTTP
    /// client's shards are the same loops, picked by the user's index), where its task then wakes.
    public func sleep(until deadline: Instant, or stop: StopSignal, home: Int) async {
        await sleep(until: deadline, or: stop, on: home)
    }

    private func sleep(until deadline: Instant, or stop: StopSignal, on home: Int?) async {
        var registration: Int?
        await LoopTimers.shared.sleep(until: deadline, shard: home) { wake in
            registration = stop.onTrigger(wake)
            if registration == nil { wake() }  // it fired before the sleep was filed
        }
        if let registration { stop.forget(registration) }
    }
}
