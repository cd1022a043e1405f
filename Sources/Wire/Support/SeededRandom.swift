/// A small, fast, seedable generator (SplitMix64), so a `--seed` reproduces users, choices and pauses.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator for `seed`; different `stream`s of one seed are independent (one per user, say).
    public init(seed: UInt64, stream: UInt64 = 0) {
        state = seed &+ 0x9E37_79B9_7F4A_7C15 &* (stream &+ 1)
        _ = next()
    }

    /// A uniform draw from 0..<1 (53 random bits: every value a Double can hold exactly).
    public mutating func nextFraction() -> Double { Double(next() >> 11) / Double(1 << 53) }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SeededRandom {
    /// FNV-1a over `bytes`: a stable 64-bit digest (not a secure one) to seed draws from a name or an id.
    @inlinable public static func digest(_ bytes: some Sequence<UInt8>) -> UInt64 {
        bytes.reduce(UInt64(0xCBF2_9CE4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }
}
