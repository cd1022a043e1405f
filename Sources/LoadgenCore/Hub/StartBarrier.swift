/// One start for every shard: the hub takes each shard once, and when the last of them is ready (its
/// preflight passed) names a start a little in the future — or, with `--start-at`, the start was named
/// beforehand and whoever is ready by then starts then. A pure state machine: events in, decisions out,
/// times in hub nanoseconds.
///
/// ```swift
/// var barrier = StartBarrier(shards: 2, rule: .whenAllReady(lead: .seconds(2)))
/// barrier.join(Shard(index: 0, count: 2)!)   // nil: welcome
/// barrier.ready(0, now: 10)                 // .wait
/// barrier.ready(1, now: 20)                 // .start(2_000_000_020)
/// ```
public struct StartBarrier: Sendable {
    /// When the run starts.
    public enum Rule: Sendable, Hashable {
        /// `lead` after the last shard is ready.
        case whenAllReady(lead: Duration)
        /// At this hub time, whoever is ready (`--start-at`).
        case at(Int64)
    }

    /// What a shard that is ready does.
    public enum Decision: Sendable, Hashable {
        /// Waits for the others.
        case wait
        /// Starts at this hub time, with every shard waiting (the start is the same for all).
        case start(Int64)
        /// Is too late: the run started without it.
        case late(Int64)
    }

    public let shards: Int
    public let rule: Rule
    private var joined: Set<Int> = []
    private var readied: Set<Int> = []
    /// The start, once named.
    public private(set) var start: Int64?

    public init(shards: Int, rule: Rule) {
        self.shards = shards
        self.rule = rule
        if case .at(let t) = rule { start = t }
    }

    /// Takes `shard`, or says why not.
    public mutating func join(_ shard: Shard, now: Int64) -> String? {
        guard shard.count == shards else { return "this hub serves \(shards) shards; this shard is \(shard) (give --shard I/\(shards))" }
        if case .whenAllReady = rule, start != nil { return "the run has begun; shard \(shard) is too late to join it" }
        if case .at(let t) = rule, now >= t { return "the run began at the --start-at time; shard \(shard) is too late to join it" }
        guard joined.insert(shard.index).inserted else { return "shard \(shard) is already connected to this hub" }
        return nil
    }

    /// Shard `index` passed its preflight at hub time `now`.
    public mutating func ready(_ index: Int, now: Int64) -> Decision {
        readied.insert(index)
        switch rule {
        case .at(let t): return now < t ? .start(t) : .late(t)
        case .whenAllReady(let lead):
            guard start == nil, readied.count == shards else { return start.map(Decision.late) ?? .wait }
            let t = now + lead.nanoseconds
            start = t
            return .start(t)
        }
    }

    /// Shard `index` disconnected at hub time `now`: before the start is named its place is free again.
    public mutating func left(_ index: Int, now: Int64) {
        switch rule {
        case .whenAllReady: guard start == nil else { return }
        case .at(let t): guard now < t else { return }
        }
        joined.remove(index)
        readied.remove(index)
    }

    /// Shards connected and not gone before the start.
    public var connected: Int { joined.count }
}
