/// Which test numbers a rollout of `percent` covers, and which to use so a smoke test at 1 % really
/// exercises the new path (reference/easymo.md §2.9).
///
/// Numbers are bucketed exactly as the bot receives them in `messages[].from`: digits only.
///
/// ```swift
/// let s = RolloutSelection(numbers: ["250788123456", "250788000001"], percent: 50)
/// s.inside          // ["250788000001"]  (bucket 41)
/// s.preferredOrder  // inside numbers first
/// ```
public struct RolloutSelection: Sendable, Hashable {
    /// One number's place in the rollout.
    public struct Entry: Sendable, Hashable, Codable {
        /// Digits only, as in `messages[].from`.
        public var number: String
        /// 0–99.
        public var bucket: Int
        /// Whether the rollout covers it.
        public var inside: Bool
    }

    /// The rollout percentage (0–100).
    public var percent: Int
    /// Every test number, in file order.
    public var entries: [Entry]

    /// Buckets `numbers` for a rollout of `percent`.
    public init(numbers: [String], percent: Int) {
        self.percent = percent
        entries = numbers.map { Entry(number: $0, bucket: RolloutBucket.bucket(of: $0), inside: RolloutBucket.isInside($0, percent: percent)) }
    }

    /// The numbers inside the rollout.
    public var inside: [String] { entries.filter(\.inside).map(\.number) }

    /// The numbers with those inside the rollout first (each group in file order).
    public var preferredOrder: [String] { inside + entries.filter { !$0.inside }.map(\.number) }

    /// Up to `count` numbers near the first test number (same prefix, last digits varied) that fall
    /// inside the rollout: candidates to add to the allow-list (they must be real test phones).
    public func suggestions(count: Int = 3) -> [String] {
        guard percent > 0, let base = entries.first?.number, base.count > 4 else { return [] }
        let prefix = String(base.dropLast(4))
        var found: [String] = []
        for n in 0..<10_000 where found.count < count {
            let digits = String(n)
            let candidate = prefix + String(repeating: "0", count: 4 - digits.count) + digits
            if candidate != base, RolloutBucket.isInside(candidate, percent: percent) { found.append(candidate) }
        }
        return found
    }
}
