/// A scenario: who the users are (personas, with weights), what each says and expects back, and the
/// load, chaos plan and criteria it is meant for.
///
/// A value: building one does no I/O. The engine runs it; `loadgen list` shows it; flags override its
/// load and criteria.
///
/// ```swift
/// Scenario("easymo-smoke", summary: "The runbook's manual checks.") {
///     Persona("buyer", weight: 3) {
///         Send.text("I need vegetables")
///         Expect.reply(.list(containing: "vendors"))
///         Choose.row(at: 0)
///         Expect.reply(.buttons(["pay_wallet"]))
///     }
///     Persona("menu-user") {
///         Send.text("MENU")
///         Expect.reply(.list(containing: "What would you like"))
///     }
/// }
/// ```
public struct Scenario: Sendable, Hashable {
    /// The name `--scenario` selects.
    public var name: String
    /// One line for `loadgen list`.
    public var summary: String
    /// Who the users are; each user gets one persona, in proportion to the weights.
    public var personas: [Persona]
    /// The scenario's own load (flags override it).
    public var load: LoadProfile?
    /// The scenario's own criteria: preset names or custom thresholds (flags override them).
    public var criteria: [String]
    /// Faults to inject while it runs (filled by the chaos work; empty means none).
    public var chaos: ChaosPlan
    /// The bot's wording the judging expects: fallbacks, graceful replies per pattern, the smoke
    /// checklist's messages and answers. EasyMO's unless the scenario is for another bot.
    public var expectations: Expectations

    /// Creates a scenario from values.
    public init(name: String, summary: String, personas: [Persona], load: LoadProfile? = nil, criteria: [String] = [],
                chaos: ChaosPlan = ChaosPlan(), expectations: Expectations = .easymo) {
        self.name = name
        self.summary = summary
        self.personas = personas
        self.load = load
        self.criteria = criteria
        self.chaos = chaos
        self.expectations = expectations
    }

    /// The DSL's entry point: a scenario whose personas are written in a `PersonaBuilder` block.
    public init(
        _ name: String, summary: String, load: LoadProfile? = nil, criteria: [String] = [], chaos: ChaosPlan = ChaosPlan(),
        expectations: Expectations = .easymo, @PersonaBuilder personas: () -> [Persona]
    ) {
        self.init(name: name, summary: summary, personas: personas(), load: load, criteria: criteria, chaos: chaos,
                  expectations: expectations)
    }

    /// The persona of user `index`: weights are honoured exactly over each run of `totalWeight` users
    /// (weights 3 and 1 give users 0–2 the first persona and user 3 the second, and so on).
    public func persona(forUser index: Int) -> Persona {
        let total = personas.reduce(0) { $0 + max(0, $1.weight) }
        guard total > 0 else { return personas[0] }
        var slot = index % total
        for persona in personas where persona.weight > 0 {
            if slot < persona.weight { return persona }
            slot -= persona.weight
        }
        return personas[0]
    }
}

/// How many users and for how long, when a scenario brings its own load.
public enum LoadProfile: Sendable, Hashable {
    /// Closed model: `users` concurrent users for `duration`, each repeating its journey.
    case users(Int, for: Duration)
    /// Open model: whole conversations arriving at `perSecond`, at most `maxInFlight` at once.
    case arrivals(perSecond: Double, for: Duration, maxInFlight: Int?)
    /// Open model with stages: the arrival rate moves linearly to each stage's rate over its duration.
    case stages([Stage], maxInFlight: Int?)

    /// One stage of a ramp.
    public struct Stage: Sendable, Hashable {
        public var duration: Duration
        public var perSecond: Double
        public init(_ duration: Duration, perSecond: Double) {
            self.duration = duration
            self.perSecond = perSecond
        }
    }
}
