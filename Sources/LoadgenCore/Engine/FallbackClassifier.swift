/// Decides whether a reply is a *fallback*: the bot degraded (menu instead of an agent, cached results,
/// "try again later") rather than answering. Phrases are data, taken from EasyMO's fallback messages;
/// a target with other wording passes its own.
public struct FallbackClassifier: Sendable, Hashable {
    /// Lowercased phrases; a reply containing any of them is a fallback.
    public private(set) var phrases: [String]
    private var folded: [FoldedText]

    /// A classifier for these phrases (case-insensitive).
    public init(phrases: [String]) {
        self.phrases = phrases.map { $0.lowercased() }
        folded = phrases.map(FoldedText.init)
    }

    /// Whether `reply` is a fallback.
    public func isFallback(_ reply: BotReply) -> Bool {
        let text = FoldedText(reply.text)
        return folded.contains { text.contains($0) }
    }

    /// EasyMO's fallback wording (reference/easymo.md §1.2–1.3).
    public static let easymo = Expectations.easymo.fallback
}
