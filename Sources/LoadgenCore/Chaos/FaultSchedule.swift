/// When a fault is active and how often it hits: a probability, optionally inside a time window, with
/// an optional ramp up over the window's start. Pure: the decision takes the elapsed time and a random
/// draw, so tests drive it with chosen instants instead of sleeping.
///
/// ```swift
/// let s = FaultSchedule(rate: 0.2, window: .seconds(60) ..< .seconds(120))
/// s.injects(at: .seconds(90), roll: 0.1)   // true: inside the window, 0.1 < 0.2
/// s.phase(at: .seconds(130))               // .recovery
/// ```
public struct FaultSchedule: Sendable, Hashable {
    /// Share of calls (or turns) hit while active, 0…1.
    public var rate: Double
    /// When the fault is on, from the run's start; nil = the whole run.
    public var window: Range<Duration>?
    /// Optional ramp: the rate grows linearly from 0 over this long from the window's start.
    public var rampUp: Duration

    public init(rate: Double, window: Range<Duration>? = nil, rampUp: Duration = .zero) {
        self.rate = rate
        self.window = window
        self.rampUp = rampUp
    }

    /// Which part of the run an instant belongs to.
    public enum Phase: String, Sendable, Hashable, CaseIterable, Codable {
        /// Before the fault window.
        case baseline
        /// While the fault is on.
        case fault
        /// After the window closed: does the bot recover?
        case recovery
    }

    /// The phase at `elapsed`.
    public func phase(at elapsed: Duration) -> Phase {
        guard let window else { return .fault }
        if elapsed < window.lowerBound { return .baseline }
        return elapsed < window.upperBound ? .fault : .recovery
    }

    /// The hit rate at `elapsed` (0 outside the window).
    public func rate(at elapsed: Duration) -> Double {
        guard phase(at: elapsed) == .fault else { return 0 }
        let start = window?.lowerBound ?? .zero
        guard rampUp > .zero, elapsed - start < rampUp else { return rate }
        return rate * ((elapsed - start) / rampUp)
    }

    /// Whether a call at `elapsed` with the random draw `roll` (0..<1) is hit.
    public func injects(at elapsed: Duration, roll: Double) -> Bool {
        roll < rate(at: elapsed)
    }
}
