/// A check on the bot's reply. Matchers are data, so reports can print them and targets can override them.
public indirect enum ReplyMatcher: Sendable, Hashable, CustomStringConvertible {
    /// Any reply passes.
    case any
    /// The reply's text contains this substring (case-insensitive).
    case contains(String)
    /// An interactive reply offering at least one button or list row.
    case interactive
    /// Any of the matchers passes.
    case oneOf([ReplyMatcher])

    /// Whether `reply` passes.
    public func matches(_ reply: BotReply) -> Bool {
        switch self {
        case .any: true
        case .contains(let needle): reply.text.lowercased().contains(needle.lowercased())
        case .interactive: !reply.buttons.isEmpty || !reply.rows.isEmpty
        case .oneOf(let matchers): matchers.contains { $0.matches(reply) }
        }
    }

    public var description: String {
        switch self {
        case .any: "any reply"
        case .contains(let needle): "text contains \"\(needle)\""
        case .interactive: "buttons or a list"
        case .oneOf(let matchers): matchers.map(\.description).joined(separator: " or ")
        }
    }
}
