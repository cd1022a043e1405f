/// Whether a run waits for the bot's replies at the stand-in Graph API (`any`) or judges acks only
/// (`none`: the bot's replies cannot reach loadgen, e.g. a production bot replying to the real Meta).
public enum ReplyMode: String, Sendable, Hashable, Codable, CaseIterable {
    case any, none

    /// Whether turns wait for a reply.
    public var awaitsReplies: Bool { self == .any }
}
