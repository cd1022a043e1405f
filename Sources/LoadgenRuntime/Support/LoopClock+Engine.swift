import LoadgenCore
import LoadgenHTTP

/// The engine's sleeps on the loop timers: a stop signal wakes a sleeper by its timer entry, so a
/// thinking user is one task and one entry, not a task group of three.
extension LoopClock: EngineClock {
    public func sleep(until deadline: Instant, or stop: StopSignal) async {
        var registration: Int?
        await LoopTimers.shared.sleep(until: deadline) { wake in
            registration = stop.onTrigger(wake)
            if registration == nil { wake() }  // it fired before the sleep was filed
        }
        if let registration { stop.forget(registration) }
    }
}
