/// Mints `wamid.` message ids shaped like Meta's.
///
/// Meta's ids are opaque, but base64-decoding its samples shows a small struct: the user's phone, a
/// direction byte (0x12 inbound, 0x11 outbound) and an uppercase hex id (20 chars starting `3A` inbound,
/// 18 outbound). Minting them the same way keeps bots that log, store or length-check ids honest.
public enum Wamid {
    /// An inbound (user → business) id; unique for each `(phone, sequence)`.
    public static func inbound(phone: String, sequence: UInt64) -> String {
        make(phone: phone, direction: 0x12, hexID: "3A" + hex(mix(sequence), digits: 18))
    }

    /// An outbound (business → user) id, as the Graph API returns from `/messages`.
    public static func outbound(phone: String, sequence: UInt64) -> String {
        make(phone: phone, direction: 0x11, hexID: hex(mix(sequence ^ 0x0BAD_5EED), digits: 18))
    }

    private static func make(phone: String, direction: UInt8, hexID: String) -> String {
        var raw: [UInt8] = [0x1C, 0x18, UInt8(truncatingIfNeeded: phone.utf8.count)]
        raw += phone.utf8
        raw += [0x15, 0x02, 0x00, direction, 0x18, UInt8(truncatingIfNeeded: hexID.utf8.count)]
        raw += hexID.utf8
        raw.append(0x00)
        return "wamid." + Base64.encode(raw)
    }

    /// A bijective mix, so consecutive sequence numbers give unrelated-looking ids.
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let alphabet = Array("0123456789ABCDEF".utf8)
        var out = [UInt8](repeating: UInt8(ascii: "0"), count: digits)
        var v = value
        for i in stride(from: digits - 1, through: 0, by: -1) {
            out[i] = alphabet[Int(v & 0xF)]
            v >>= 4
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Standard base64 with padding (RFC 4648 §4).
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Encodes bytes as base64 text.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            for shift in [18, 12, 6, 0] { out.append(alphabet[Int(n >> UInt32(shift) & 63)]) }
            i += 3
        }
        let rest = bytes.count - i
        if rest > 0 {
            let n = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(rest == 2 ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        }
        return String(decoding: out, as: UTF8.self)
    }
}
