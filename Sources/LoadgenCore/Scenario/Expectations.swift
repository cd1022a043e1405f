/// What the judging expects of a bot's words: which replies are fallbacks, what a graceful answer to
/// each failure pattern looks like, and what the smoke checklist sends and expects back. EasyMO's
/// wording (its fallback messages and release notes, reference/easymo.md) is the default; a scenario
/// for another bot — a plain FAQ bot, a support bot — brings its own, and everything that judges reads
/// it from there.
///
/// ```swift
/// Scenario("faq-smoke", summary: "…", expectations: Expectations(
///     fallbackPhrases: ["sorry, i don't know"],
///     graceful: [.invalidInput: .contains("try asking")],
///     smoke: .init(agentMessage: "What are your opening hours?", agentAnswer: .contains("open"),
///                  menuMessage: "menu", menu: .contains("topics")))) { … }
/// ```
public struct Expectations: Sendable, Hashable {
    /// A reply containing any of these (case-insensitive) is a fallback: the bot degraded instead of answering.
    public var fallbackPhrases: [String]
    /// What a graceful reply to each pattern's fault looks like; a pattern not listed takes EasyMO's.
    public var graceful: [FailurePattern: ReplyMatcher]
    /// What `loadgen smoke` sends and expects.
    public var smoke: Smoke

    /// The smoke checklist's messages and what answers them well.
    public struct Smoke: Sendable, Hashable {
        /// A request an agent (the AI) should answer (`agent routing`).
        public var agentMessage: String
        /// An agent's answer to it — and what the menu must not be.
        public var agentAnswer: ReplyMatcher
        /// The keyword that brings up the menu (`menu fallback`), also sent by the signature check.
        public var menuMessage: String
        /// The menu.
        public var menu: ReplyMatcher
        /// Text no bot can act on (`fallback: invalid input`).
        public var garbageMessage: String
        /// A message type the bot does not handle (`fallback: invalid input`).
        public var unsupportedKind: String

        public init(agentMessage: String, agentAnswer: ReplyMatcher, menuMessage: String, menu: ReplyMatcher,
                    garbageMessage: String = "…?!", unsupportedKind: String = "poll_creation") {
            self.agentMessage = agentMessage
            self.agentAnswer = agentAnswer
            self.menuMessage = menuMessage
            self.menu = menu
            self.garbageMessage = garbageMessage
            self.unsupportedKind = unsupportedKind
        }

        /// EasyMO's: "I need vegetables near me" gets a list mentioning vendors; MENU gets buttons or a list.
        public static let easymo = Smoke(agentMessage: "I need vegetables near me", agentAnswer: .list(containing: "vendors"),
                                         menuMessage: "MENU", menu: .interactive)
    }

    public init(fallbackPhrases: [String] = Expectations.easymo.fallbackPhrases, graceful: [FailurePattern: ReplyMatcher] = [:],
                smoke: Smoke = .easymo) {
        self.fallbackPhrases = fallbackPhrases
        self.graceful = graceful
        self.smoke = smoke
    }

    private init(easymoPhrases: [String]) {
        fallbackPhrases = easymoPhrases
        graceful = [:]
        smoke = .easymo
    }

    /// EasyMO's wording throughout.
    public static let easymo = Expectations(easymoPhrases: [
        "currently not available", "temporarily unavailable", "temporarily busy", "please try again",
        "try again later", "top-rated", "top-ranked", "showing available options", "showing example results",
        "use the traditional", "try another method", "so far", "couldn't reach", "sessions expire",
    ])

    /// A graceful reply to `pattern`'s fault: this scenario's, else EasyMO's.
    public func graceful(for pattern: FailurePattern) -> ReplyMatcher { graceful[pattern] ?? pattern.expected }

    /// The fallback classifier of these phrases.
    public var fallback: FallbackClassifier { FallbackClassifier(phrases: fallbackPhrases) }

    /// A clarifying question, as the invalid-input pattern expects it.
    public var clarifyingQuestion: ReplyMatcher { graceful(for: .invalidInput) }
}
