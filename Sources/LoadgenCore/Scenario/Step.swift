/// One step of a journey. Built with the DSL words `Send`, `Expect`, `Think`, `Choose` and `Branch`.
public indirect enum Step: Sendable, Hashable {
    /// The user sends a message (one webhook delivery).
    case send(Outgoing)
    /// The bot must reply to the last message within `within` (default: `--reply-timeout`) and the reply
    /// must match. Skipped with `--replies none`.
    case expectReply(within: Duration?, matching: ReplyMatcher)
    /// A human pause, drawn uniformly between `min` and `max`.
    case think(min: Duration, max: Duration)
    /// Goes on with `then` when the bot's last reply matches, else with `else`.
    case branch(if: ReplyMatcher, then: [Step], else: [Step])
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
