/// What a hub and a shard must agree on to share a run: the scenario, the seed, the whole population
/// (its size and a digest of its numbers: a number maps to a user, and so to a shard, only if both
/// sides mint the same users) and the chaos plan (the hub injects at its proxies what the shards judge).
/// A shard started with other flags than its hub is refused with the first difference, in words.
public struct RunFingerprint: Sendable, Hashable {
    public var scenario: String
    public var seed: UInt64
    /// Users in the whole run (every shard's), or an open model's identity pool.
    public var users: Int
    /// FNV-1a over every user's phone number, in index order.
    public var population: UInt64
    /// FNV-1a over the chaos plan's faults, as the plan describes them.
    public var chaos: UInt64

    public init(scenario: String, seed: UInt64, users: Int, population: UInt64, chaos: UInt64) {
        self.scenario = scenario
        self.seed = seed
        self.users = users
        self.population = population
        self.chaos = chaos
    }

    /// The fingerprint of a run of `scenario` with the whole `population` and `chaos`.
    public init(scenario: String, seed: UInt64, population: [SimulatedUser], chaos: ChaosPlan) {
        var phones: [UInt8] = []
        phones.reserveCapacity(population.count * 13)
        for user in population {
            phones += user.phone.utf8
            phones.append(UInt8(ascii: ","))
        }
        self.init(scenario: scenario, seed: seed, users: population.count, population: SeededRandom.digest(phones),
                  chaos: SeededRandom.digest(Array(String(describing: chaos.faults).utf8)))
    }

    /// How `shard` differs from this (the hub's) fingerprint, in one sentence; nil when they agree.
    public func mismatch(_ shard: RunFingerprint) -> String? {
        if shard.scenario != scenario { return "the shard runs scenario '\(shard.scenario)', the hub '\(scenario)'" }
        if shard.seed != seed { return "the shard runs with --seed \(shard.seed), the hub with \(seed)" }
        if shard.users != users { return "the shard's run has \(shard.users) users, the hub's \(users)" }
        if shard.population != population { return "the shard's users have other numbers than the hub's (another --users-file?)" }
        if shard.chaos != chaos { return "the shard's chaos plan differs from the hub's (give both the same --chaos)" }
        return nil
    }

    func write(into w: inout JSONWriter) {
        w.field("scenario", string: scenario)
        w.field("seed", string: String(seed))
        w.int("users", users)
        w.field("population", string: String(population, radix: 16))
        w.field("chaos", string: String(chaos, radix: 16))
    }

    init(reading v: JSONValue) throws {
        guard let seed = UInt64(try v.string("seed") ?? ""), let population = UInt64(try v.string("population") ?? "", radix: 16),
              let chaos = UInt64(try v.string("chaos") ?? "", radix: 16)
        else { throw HubMessage.Unreadable() }
        self.init(scenario: try v.string("scenario") ?? "", seed: seed, users: try v.int("users"), population: population, chaos: chaos)
    }
}
