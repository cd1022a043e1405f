/// Which of Meta's sending limits the stand-in Graph API holds a bot to (`--graph-limits`), with their
/// parameters: the pair rate (a burst per user, refilled slowly), the business number's throughput, and
/// the 24-hour customer-service window. Off by default: a bot is measured, not throttled, unless asked.
///
/// ```swift
/// try GraphLimits.parse("meta")                   // all three, at Meta's numbers
/// try GraphLimits.parse("meta,pair=5/1m")         // …with a smaller, slower pair bucket
/// try GraphLimits.parse("throughput=20")          // a coexistence number's 20 mps, nothing else
/// ```
public struct GraphLimits: Sendable, Hashable {
    /// Per business number and user: a burst of `capacity` messages, one more every `interval`.
    public var pair: Pair?
    /// Messages per second per business number, the users' and the bot's together.
    public var throughput: Int?
    /// How long after a user's last message the business may send free-form messages to them.
    public var window: Duration?

    /// A pair-rate bucket.
    public struct Pair: Sendable, Hashable {
        public var capacity: Int
        public var interval: Duration
        public init(capacity: Int, interval: Duration) {
            self.capacity = capacity
            self.interval = interval
        }
    }

    public init(pair: Pair? = nil, throughput: Int? = nil, window: Duration? = nil) {
        self.pair = pair
        self.throughput = throughput
        self.window = window
    }

    /// Meta's numbers (reference §4.5): 45 messages to a user in a burst, then one every 6 s; 80
    /// messages per second per number; free-form messages for 24 hours after the user's last one.
    public static let meta = GraphLimits(pair: metaPair, throughput: metaThroughput, window: metaWindow)
    static let metaPair = Pair(capacity: 45, interval: .seconds(6))
    static let metaThroughput = 80
    static let metaWindow: Duration = .seconds(86_400)

    /// True when no limit is on.
    public var isEmpty: Bool { pair == nil && throughput == nil && window == nil }

    /// The most messages per second a throughput limit may allow.
    public static let maxThroughput = 100_000

    /// Reads `meta` or a comma-separated list of `pair[=N/TIME]`, `throughput[=N]` and `window[=TIME]`;
    /// later items override earlier ones, so `meta,pair=5/1m` is Meta's limits with a smaller bucket.
    public static func parse(_ text: String) throws(ConfigError) -> GraphLimits {
        var limits = GraphLimits()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.trimmingSpaces.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let name = parts[0], value = parts.count == 2 ? parts[1] : nil
            switch name {
            case "meta" where value == nil: limits = .meta
            case "pair": limits.pair = try value.map(Self.pair) ?? metaPair
            case "throughput": limits.throughput = try value.map(Self.throughput) ?? metaThroughput
            case "window": limits.window = try value.map(Self.window) ?? metaWindow
            default:
                throw ConfigError("--graph-limits: unknown limit '\(item.trimmingSpaces)'; write meta, or a list of pair[=N/TIME], "
                    + "throughput[=N] and window[=TIME], e.g. meta or pair=45/6s,throughput=80,window=24h")
            }
        }
        return limits
    }

    private static func pair(_ text: String) throws(ConfigError) -> Pair {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let capacity = Int(parts[0]), capacity >= 1, capacity <= 1_000_000,
              let interval = DurationText.parse(String(parts[1])), interval > .zero else {
            throw ConfigError("--graph-limits: pair=\(text) is not a bucket; write pair=N/TIME, a burst of N messages to one user "
                + "and one more every TIME, e.g. pair=45/6s")
        }
        return Pair(capacity: capacity, interval: interval)
    }

    private static func throughput(_ text: String) throws(ConfigError) -> Int {
        guard let n = Int(text), (1...maxThroughput).contains(n) else {
            throw ConfigError("--graph-limits: throughput=\(text) is not a rate; write throughput=N, messages per second from 1 to "
                + "\(maxThroughput), e.g. throughput=80")
        }
        return n
    }

    private static func window(_ text: String) throws(ConfigError) -> Duration {
        guard let d = DurationText.parse(text), d > .zero else {
            throw ConfigError("--graph-limits: window=\(text) is not a time; write window=TIME, e.g. window=24h")
        }
        return d
    }
}
