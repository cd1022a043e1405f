/// A scenario: what simulated users say, what they expect back, and the load and criteria it is meant for.
///
/// A value: building one does no I/O. The engine runs it; `loadgen list` shows it; flags override its
/// load and criteria.
///
/// ```swift
/// Scenario("generic", summary: "Plain text; any reply counts.") {
///     Send.text(oneOf: ["Hello", "I need vegetables"])
///     Expect.reply(.any)
/// }
/// ```
public struct Scenario: Sendable, Hashable {
    /// The name `--scenario` selects.
    public var name: String
    /// One line for `loadgen list`.
    public var summary: String
    /// The steps each user repeats until the run ends.
    public var journey: [Step]
    /// The scenario's own load (flags override it).
    public var load: LoadProfile?
    /// The scenario's own criteria: preset names or custom thresholds (flags override them).
    public var criteria: [String]

    /// Creates a scenario from values.
    public init(name: String, summary: String, journey: [Step], load: LoadProfile? = nil, criteria: [String] = []) {
        self.name = name
        self.summary = summary
        self.journey = journey
        self.load = load
        self.criteria = criteria
    }

    /// The DSL's entry point: a scenario whose journey is written in a `StepBuilder` block.
    public init(
        _ name: String, summary: String, load: LoadProfile? = nil, criteria: [String] = [],
        @StepBuilder journey: () -> [Step]
    ) {
        self.init(name: name, summary: summary, journey: journey(), load: load, criteria: criteria)
    }

    /// The number of messages one journey sends.
    public var turnsPerJourney: Int {
        journey.reduce(0) { count, step in if case .send = step { count + 1 } else { count } }
    }
}

/// How many users and for how long, when a scenario brings its own load.
public enum LoadProfile: Sendable, Hashable {
    /// Closed model: `users` concurrent users for `duration`.
    case users(Int, for: Duration)
}
