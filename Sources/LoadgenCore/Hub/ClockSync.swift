/// How far a shard's clock is from its hub's, estimated as NTP does from round trips on the control
/// connection: a probe leaves at `sent` (shard clock), the hub stamps it `hub` (hub clock), the answer
/// is back at `received` (shard clock). If the two legs took equally long the hub stamped it halfway,
/// so `offset = (sent + received) / 2 − hub`; whatever the legs took, the truth is within half the
/// round trip of that. Of several probes the one with the shortest round trip bounds it best.
///
/// A hub time `h` is the shard instant `h + offset`: the only way a hub instant becomes a shard one, so
/// reply latency ("the user's intended send time, shard clock → the bot's send arriving at the stand-in,
/// hub clock") never mixes the two clocks silently, and its error is at most `uncertainty`.
///
/// ```swift
/// var sync = ClockSync()
/// sync.add(sent: 1_000, hub: 50_400, received: 1_800)     // offset −49 000 ns ± 400 ns
/// let shardTime = sync.shardTime(ofHub: 60_000)          // 11 000
/// ```
public struct ClockSync: Sendable, Hashable {
    /// One probe's estimate.
    public struct Estimate: Sendable, Hashable {
        /// Shard time minus hub time, nanoseconds.
        public var offset: Int64
        /// Half the round trip: the offset is right to within this, nanoseconds.
        public var uncertainty: Int64

        public init(offset: Int64, uncertainty: Int64) {
            self.offset = offset
            self.uncertainty = uncertainty
        }
    }

    /// The best estimate so far (nil before the first probe came back).
    public private(set) var best: Estimate?
    /// Probes taken.
    public private(set) var samples = 0

    public init() {}

    /// Adds one probe's times, in nanoseconds (shard, hub, shard). A probe whose answer came back before
    /// it left is impossible and ignored.
    public mutating func add(sent: Int64, hub: Int64, received: Int64) {
        guard received >= sent else { return }
        samples += 1
        let roundTrip = received - sent
        let estimate = Estimate(offset: sent + roundTrip / 2 - hub, uncertainty: (roundTrip + 1) / 2)
        if best.map({ estimate.uncertainty < $0.uncertainty }) ?? true { best = estimate }
    }

    /// The shard time of hub time `hub` (nanoseconds), by the best estimate (as is, before any).
    public func shardTime(ofHub hub: Int64) -> Int64 { hub + (best?.offset ?? 0) }
}
