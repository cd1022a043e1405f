/// Mints `wamid.` message ids shaped like Meta's.
///
/// Meta's ids are opaque, but base64-decoding its samples shows a small struct: the user's phone, a
/// direction byte (0x12 inbound, 0x11 outbound) and an uppercase hex id (20 chars starting `3A` inbound,
/// 18 outbound). Minting them the same way keeps bots that log, store or length-check ids honest.
public enum Wamid {
    /// An inbound (user → business) id; unique for each `(phone, sequence)`.
    public static func inbound(phone: String, sequence: UInt64) -> String {
        make(phone: phone, direction: 0x12, inbound: true, id: mix(sequence))
    }

    /// An outbound (business → user) id, as the Graph API returns from `/messages`.
    public static func outbound(phone: String, sequence: UInt64) -> String {
        make(phone: phone, direction: 0x11, inbound: false, id: mix(sequence ^ 0x0BAD_5EED))
    }

    /// `wamid.` and the base64 of `1C 18 ‹phone length› ‹phone› 15 02 00 ‹direction› 18 ‹hex length› ‹hex›
    /// 00`, the hex id being `id`'s 18 low hex digits (after `3A` inbound). Written in place, into the one
    /// string it returns: every message a user sends gets an id, and the pieces put together as arrays and
    /// strings of their own took 4 % of a run's CPU.
    private static func make(phone: String, direction: UInt8, inbound: Bool, id: UInt64) -> String {
        var phone = phone
        return phone.withUTF8 { digits in
            let hexCount = inbound ? 20 : 18
            let rawCount = 3 + digits.count + 6 + hexCount + 1
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: rawCount) { raw in
                var at = 0
                func put(_ byte: UInt8) {
                    raw[at] = byte
                    at += 1
                }
                put(0x1C)
                put(0x18)
                put(UInt8(truncatingIfNeeded: digits.count))
                for byte in digits { put(byte) }
                put(0x15)
                put(0x02)
                put(0x00)
                put(direction)
                put(0x18)
                put(UInt8(truncatingIfNeeded: hexCount))
                if inbound {
                    put(UInt8(ascii: "3"))
                    put(UInt8(ascii: "A"))
                }
                for shift in stride(from: 68, through: 0, by: -4) { put(Hex.uppercaseDigits[Int(id >> UInt64(shift) & 0xF)]) }  // 18 digits
                put(0x00)
                let encoded = Base64.encodedCount(rawCount)
                return String(unsafeUninitializedCapacity: 6 + encoded) { out in
                    for (i, byte) in "wamid.".utf8.enumerated() { out[i] = byte }
                    return 6 + Base64.encode(UnsafeBufferPointer(raw), into: UnsafeMutableBufferPointer(rebasing: out[6...]))
                }
            }
        }
    }

    /// A bijective mix, so consecutive sequence numbers give unrelated-looking ids.
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Standard base64 with padding (RFC 4648 §4).
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Encodes bytes as base64 text.
    public static func encode(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { bytes in
            String(unsafeUninitializedCapacity: encodedCount(bytes.count)) { encode(bytes, into: $0) }
        }
    }

    /// How many characters `count` bytes take, padding included.
    public static func encodedCount(_ count: Int) -> Int { (count + 2) / 3 * 4 }

    /// Writes the base64 of `bytes` into `out` (at least `encodedCount(bytes.count)` long) and returns how
    /// many bytes it wrote.
    public static func encode(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var i = 0
        var o = 0
        func put(_ byte: UInt8) {
            out[o] = byte
            o += 1
        }
        func sextet(_ n: UInt32, _ shift: UInt32) -> UInt8 { alphabet[Int(n >> shift & 63)] }
        while i + 2 < bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            put(sextet(n, 18))
            put(sextet(n, 12))
            put(sextet(n, 6))
            put(sextet(n, 0))
            i += 3
        }
        let rest = bytes.count - i
        if rest > 0 {
            let n = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
            put(sextet(n, 18))
            put(sextet(n, 12))
            put(rest == 2 ? sextet(n, 6) : UInt8(ascii: "="))
            put(UInt8(ascii: "="))
        }
        return o
    }
}
