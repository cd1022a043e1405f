import Foundation

/// A check on the bot's reply. Matchers are data, so reports can print them and targets can override them.
///
/// ```swift
/// Expect.reply(.contains("vendors"))
/// Expect.reply(.regex("Order #\\d+"))
/// Expect.reply(.buttons(["pay_wallet", "pay_momo"]))      // offers these buttons (ids or titles)
/// Expect.reply(.list(containing: "drivers"))               // a list whose text mentions drivers
/// Expect.reply(.oneOf([.contains("No pending"), .interactive]))
/// ```
public indirect enum ReplyMatcher: Sendable, Hashable, CustomStringConvertible {
    /// Any reply passes.
    case any
    /// The reply's text contains this substring (case-insensitive).
    case contains(String)
    /// The reply's text matches this regular expression (NSRegularExpression syntax).
    case regex(String)
    /// An interactive reply offering at least one button or list row.
    case interactive
    /// Offers every one of these buttons (each given by id or by title).
    case buttons([String])
    /// A list whose text contains `text` (empty: any list) with at least one row.
    case list(containing: String)
    /// Any of the matchers passes.
    case oneOf([ReplyMatcher])
    /// The matcher fails.
    case not(ReplyMatcher)

    /// Whether `reply` passes (compiling any regular expression for this one match; the engine matches
    /// with a `CompiledMatcher`, compiled once).
    public func matches(_ reply: BotReply) -> Bool { CompiledMatcher(self).matches(reply) }

    /// The first regular expression in the matcher that does not compile (checked by scenario validation).
    public var invalidPattern: String? {
        switch self {
        case .regex(let p): return CompiledMatcher.regex(p) == nil ? p : nil
        case .oneOf(let ms): return ms.lazy.compactMap(\.invalidPattern).first
        case .not(let m): return m.invalidPattern
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .any: "any reply"
        case .contains(let needle): "text contains \"\(needle)\""
        case .regex(let p): "text matches /\(p)/"
        case .interactive: "buttons or a list"
        case .buttons(let b): "buttons " + b.joined(separator: ", ")
        case .list(let t): t.isEmpty ? "a list" : "a list mentioning \"\(t)\""
        case .oneOf(let matchers): matchers.map(\.description).joined(separator: " or ")
        case .not(let m): "not (\(m))"
        }
    }
}

/// A `ReplyMatcher` ready to match: its regular expressions compiled once — when a journey is compiled,
/// or a fault plan's expectations are — so matching a reply compiles nothing and shares nothing.
public struct CompiledMatcher: Sendable {
    private indirect enum Node: Sendable {
        case leaf(ReplyMatcher)
        /// nil: the pattern does not compile (validation refuses it; it never matches).
        case regex(NSRegularExpression?)
        case oneOf([Node])
        case not(Node)
    }
    private let root: Node

    /// Compiles `matcher`.
    public init(_ matcher: ReplyMatcher) { root = Self.compile(matcher) }

    /// Passes when any of `matchers` does.
    public init(oneOf matchers: [CompiledMatcher]) { root = .oneOf(matchers.map(\.root)) }

    /// Passes every reply: made once (a node is boxed, and a turn that expects nothing is judged with it).
    public static let anything = CompiledMatcher(.any)

    private static func compile(_ m: ReplyMatcher) -> Node {
        switch m {
        case .regex(let pattern): .regex(regex(pattern))
        case .oneOf(let ms): .oneOf(ms.map(compile))
        case .not(let inner): .not(compile(inner))
        default: .leaf(m)
        }
    }

    /// `pattern` compiled case-insensitively (NSRegularExpression syntax), or nil.
    static func regex(_ pattern: String) -> NSRegularExpression? { try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) }

    /// Whether `reply` passes.
    public func matches(_ reply: BotReply) -> Bool { Self.matches(root, reply) }

    private static func matches(_ node: Node, _ reply: BotReply) -> Bool {
        switch node {
        case .regex(let re):
            guard let re else { return false }
            return re.firstMatch(in: reply.text, range: NSRange(reply.text.startIndex..., in: reply.text)) != nil
        case .oneOf(let nodes): return nodes.contains { matches($0, reply) }
        case .not(let inner): return !matches(inner, reply)
        case .leaf(let m): return leafMatches(m, reply)
        }
    }

    private static func leafMatches(_ m: ReplyMatcher, _ reply: BotReply) -> Bool {
        switch m {
        case .any: true
        case .contains(let needle): FoldedText(reply.text).contains(FoldedText(needle))
        case .interactive: !reply.buttons.isEmpty || !reply.rows.isEmpty
        case .buttons(let wanted): wanted.allSatisfy { w in reply.buttons.contains { $0.id == w || $0.title == w } }
        case .list(let text): !reply.rows.isEmpty && FoldedText(reply.text).contains(FoldedText(text))
        case .regex, .oneOf, .not: matches(compile(m), reply)  // compiled into their own nodes
        }
    }
}
