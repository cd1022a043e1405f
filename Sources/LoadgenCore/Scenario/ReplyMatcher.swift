import Foundation
import Synchronization

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

    /// Whether `reply` passes.
    public func matches(_ reply: BotReply) -> Bool {
        switch self {
        case .any: return true
        case .contains(let needle): return reply.text.lowercased().contains(needle.lowercased())
        case .regex(let pattern):
            guard let re = RegexCache.shared.regex(pattern) else { return false }
            return re.firstMatch(in: reply.text, range: NSRange(reply.text.startIndex..., in: reply.text)) != nil
        case .interactive: return !reply.buttons.isEmpty || !reply.rows.isEmpty
        case .buttons(let wanted):
            return wanted.allSatisfy { w in reply.buttons.contains { $0.id == w || $0.title == w } }
        case .list(let text):
            return !reply.rows.isEmpty && (text.isEmpty || reply.text.lowercased().contains(text.lowercased()))
        case .oneOf(let matchers): return matchers.contains { $0.matches(reply) }
        case .not(let matcher): return !matcher.matches(reply)
        }
    }

    /// Whether every regular expression in the matcher compiles (checked by scenario validation).
    public var invalidPattern: String? {
        switch self {
        case .regex(let p): return RegexCache.shared.regex(p) == nil ? p : nil
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

/// Compiled regular expressions, compiled once per pattern.
final class RegexCache: Sendable {
    static let shared = RegexCache()
    private let cache = Mutex<[String: NSRegularExpression?]>([:])

    func regex(_ pattern: String) -> NSRegularExpression? {
        if let hit = cache.withLock({ $0[pattern] }) { return hit }
        let compiled = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
        cache.withLock { $0[pattern] = .some(compiled) }
        return compiled
    }
}
