/// One step of a journey.
public enum Step: Sendable, Hashable {
    /// The user sends a message (one webhook delivery).
    case send(Outgoing)
    /// The bot must reply to the last message within `within` (default: `--reply-timeout`) and the reply
    /// must match. Skipped with `--replies none`.
    case expectReply(within: Duration?, matching: ReplyMatcher)
    /// A human pause, drawn uniformly between `min` and `max`.
    case think(min: Duration, max: Duration)

    /// `.expectReply(.contains("vendors"))`: expect a matching reply within the default timeout.
    public static func expectReply(_ matcher: ReplyMatcher = .any) -> Step { .expectReply(within: nil, matching: matcher) }

    /// `.think(.seconds(1) ... .seconds(3))`: pause like a person reading and typing.
    public static func think(_ range: ClosedRange<Duration>) -> Step { .think(min: range.lowerBound, max: range.upperBound) }
}

/// What a user sends.
public enum Outgoing: Sendable, Hashable {
    /// A text message, one of the given bodies at random.
    case text(oneOf: [String])
    /// Taps a reply button.
    case buttonReply(id: String, title: String)
    /// Picks a list row.
    case listReply(id: String, title: String)
    /// Shares a location.
    case location(latitude: Double, longitude: Double, name: String?)

    /// `.text("MENU")`: one fixed text.
    public static func text(_ body: String) -> Outgoing { .text(oneOf: [body]) }
}

/// Builds a journey from a block of steps.
@resultBuilder
public enum StepBuilder {
    public static func buildExpression(_ step: Step) -> [Step] { [step] }
    public static func buildBlock(_ parts: [Step]...) -> [Step] { parts.flatMap(\.self) }
    public static func buildOptional(_ part: [Step]?) -> [Step] { part ?? [] }
    public static func buildEither(first part: [Step]) -> [Step] { part }
    public static func buildEither(second part: [Step]) -> [Step] { part }
    public static func buildArray(_ parts: [[Step]]) -> [Step] { parts.flatMap(\.self) }
}

/// DSL words for sending. (Lines in a builder block cannot start with `.`: Swift would read them as a
/// member access on the line before, so each word starts with its namespace.)
///
/// ```swift
/// Send.text(oneOf: ["Hello", "MENU"])
/// Send.button(id: "pay_wallet", title: "💳 Wallet")
/// ```
public enum Send {
    /// A text message, one of `bodies` at random.
    public static func text(oneOf bodies: [String]) -> Step { .send(.text(oneOf: bodies)) }
    /// A fixed text message.
    public static func text(_ body: String) -> Step { .send(.text(oneOf: [body])) }
    /// A reply-button tap.
    public static func button(id: String, title: String) -> Step { .send(.buttonReply(id: id, title: title)) }
    /// A list-row pick.
    public static func listRow(id: String, title: String) -> Step { .send(.listReply(id: id, title: title)) }
    /// A location share.
    public static func location(latitude: Double, longitude: Double, name: String? = nil) -> Step {
        .send(.location(latitude: latitude, longitude: longitude, name: name))
    }
}

/// DSL words for expectations: `Expect.reply(.contains("vendors"))`.
public enum Expect {
    /// The bot must reply to the message before, matching `matcher`, within the default reply timeout.
    public static func reply(_ matcher: ReplyMatcher = .any) -> Step { .expectReply(within: nil, matching: matcher) }
    /// The same, within `timeout`.
    public static func reply(within timeout: Duration, _ matcher: ReplyMatcher = .any) -> Step {
        .expectReply(within: timeout, matching: matcher)
    }
}

/// DSL word for pauses: `Think.between(.seconds(1), .seconds(3))`.
public enum Think {
    /// A pause drawn uniformly from `min...max`.
    public static func between(_ min: Duration, _ max: Duration) -> Step { .think(min: min, max: max) }
}
