/// A kind of user (buyer, vendor, driver, station, admin, support…) with its own journey.
///
/// ```swift
/// Persona("buyer", weight: 3) {
///     Send.text("I need vegetables near me")
///     Expect.reply(.list(containing: "vendors"))
/// }
/// Persona("username-user", identity: .usernameOnly) { … }   // no phone number: replies come by BSUID
/// ```
public struct Persona: Sendable, Hashable {
    /// Shown in per-persona metrics.
    public var name: String
    /// Relative share of the users.
    public var weight: Int
    /// Whether deliveries carry a phone number.
    public var identity: Identity
    /// The steps each user of this persona repeats.
    public var journey: [Step]

    /// How Meta identifies the user to the bot.
    public enum Identity: Sendable, Hashable {
        /// `wa_id`/`from` (phone) and the BSUID, as for most users.
        case phone
        /// A username user with no phone shared: only `user_id`/`from_user_id`, so the bot must reply by
        /// `recipient` (reference/whatsapp-cloud-api.md §7).
        case usernameOnly
    }

    /// Creates a persona from values.
    public init(name: String, weight: Int = 1, identity: Identity = .phone, journey: [Step]) {
        self.name = name
        self.weight = weight
        self.identity = identity
        self.journey = journey
    }

    /// The DSL form: a persona whose journey is a `StepBuilder` block.
    public init(_ name: String, weight: Int = 1, identity: Identity = .phone, @StepBuilder journey: () -> [Step]) {
        self.init(name: name, weight: weight, identity: identity, journey: journey())
    }
}

/// Builds a scenario's personas.
@resultBuilder
public enum PersonaBuilder {
    public static func buildExpression(_ persona: Persona) -> [Persona] { [persona] }
    public static func buildBlock(_ parts: [Persona]...) -> [Persona] { parts.flatMap(\.self) }
    public static func buildOptional(_ part: [Persona]?) -> [Persona] { part ?? [] }
    public static func buildEither(first part: [Persona]) -> [Persona] { part }
    public static func buildEither(second part: [Persona]) -> [Persona] { part }
    public static func buildArray(_ parts: [[Persona]]) -> [Persona] { parts.flatMap(\.self) }
}
