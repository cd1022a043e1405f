/// One shard of a run split across processes (`--shard I/N`): this process simulates the users whose
/// index is I modulo N (and 1/N of an open model's arrival rate). The shards' users together are exactly
/// the whole run's, so their reports merge (`loadgen merge`) into the whole run.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    /// This shard, from 0 (a Kubernetes Indexed Job's completion index).
    public var index: Int
    /// How many shards the run has.
    public var count: Int

    public init?(index: Int, count: Int) {
        guard count >= 1, (0..<count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    /// `I/N`, I from 0 to N−1.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else { return nil }
        self.init(index: i, count: n)
    }

    /// Whether user `index` of the whole run belongs to this shard.
    public func owns(user index: Int) -> Bool { index % count == self.index }

    public var description: String { "\(index)/\(count)" }
}
