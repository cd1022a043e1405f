/// When conversations arrive in the open model: a rate that holds or ramps linearly per stage.
///
/// Pure: it answers "when should arrival n start?" (its *intended* time), so the engine can launch
/// late arrivals with their intended time and measure latency from it — the coordinated-omission
/// correction — instead of from whenever it got round to them.
///
/// ```swift
/// let s = ArrivalSchedule(stages: [.init(.seconds(30), perSecond: 50)], startRate: 0)   // ramp 0 → 50/s
/// s.intendedTime(ofArrival: 0)   // first arrival, in seconds from the start
/// ```
public struct ArrivalSchedule: Sendable, Hashable {
    /// Segments with linear rates: from `startRate` over `duration` to `endRate` (per second).
    struct Segment: Sendable, Hashable {
        var start: Double, duration: Double, startRate: Double, endRate: Double
        /// Arrivals expected in this segment up to `t` seconds into it.
        func arrivals(at t: Double) -> Double { startRate * t + (endRate - startRate) * t * t / (2 * duration) }
        var total: Double { arrivals(at: duration) }
    }

    let segments: [Segment]
    /// The schedule's total length.
    public let duration: Duration

    /// A constant rate for `duration`.
    public init(perSecond rate: Double, for duration: Duration) {
        self.init(stages: [.init(duration, perSecond: rate)], startRate: rate)
    }

    /// Stages ramping linearly from the previous stage's rate (the first from `startRate`).
    public init(stages: [LoadProfile.Stage], startRate: Double = 0) {
        var segments: [Segment] = []
        var clock = 0.0
        var rate = startRate
        for stage in stages where stage.duration > .zero {
            let seconds = stage.duration.inSeconds
            segments.append(Segment(start: clock, duration: seconds, startRate: max(0, rate), endRate: max(0, stage.perSecond)))
            clock += seconds
            rate = stage.perSecond
        }
        self.segments = segments
        duration = .nanoseconds(Int64((clock * 1e9).rounded()))
    }

    private init(segments: [Segment], duration: Duration) {
        self.segments = segments
        self.duration = duration
    }

    /// The same schedule at `factor` times the rate (a shard's part of the whole).
    public func scaled(by factor: Double) -> ArrivalSchedule {
        ArrivalSchedule(segments: segments.map { s in
            Segment(start: s.start, duration: s.duration, startRate: s.startRate * factor, endRate: s.endRate * factor)
        }, duration: duration)
    }

    /// The highest rate anywhere in the schedule (per second).
    public var peakRate: Double { segments.map { max($0.startRate, $0.endRate) }.max() ?? 0 }

    /// The rate at the end of the schedule (per second).
    public var finalRate: Double { segments.last?.endRate ?? 0 }

    /// The rate averaged over the whole schedule (per second), for reports.
    public var meanRate: Double {
        let seconds = duration.inSeconds
        return seconds > 0 ? segments.reduce(0) { $0 + $1.total } / seconds : 0
    }

    /// How many arrivals the whole schedule plans.
    public var plannedArrivals: Int { Int(segments.reduce(0) { $0 + $1.total }.rounded(.down)) }

    /// The intended start of arrival `n` (0-based) from the start of the run; nil past the schedule.
    public func intendedTime(ofArrival n: Int) -> Duration? {
        // Arrival n starts when the cumulative expected count reaches n (so arrival 0 at the start).
        var before = 0.0
        let target = Double(n)
        for segment in segments {
            let total = segment.total
            if target < before + total || (target == before && total > 0) {
                let t = Self.solve(segment, count: target - before)
                return .nanoseconds(Int64(((segment.start + t) * 1e9).rounded()))
            }
            before += total
        }
        return nil
    }

    /// The time into `segment` at which `count` arrivals have happened (inverse of `arrivals(at:)`).
    private static func solve(_ s: Segment, count: Double) -> Double {
        guard count > 0 else { return 0 }
        let a = (s.endRate - s.startRate) / (2 * s.duration)
        if abs(a) < 1e-12 { return count / s.startRate }
        // a t² + startRate t − count = 0, the root in [0, duration]
        let disc = s.startRate * s.startRate + 4 * a * count
        let t = (-s.startRate + max(0, disc).squareRoot()) / (2 * a)
        return min(max(0, t), s.duration)
    }
}
