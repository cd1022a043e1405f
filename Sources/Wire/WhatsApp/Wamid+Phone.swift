extension Wamid {
    /// The phone number a `wamid.` id carries (`Wamid.inbound` and `outbound` put it first), or nil when
    /// `id` is not shaped like one: how a fault hit keyed by `X-Correlation-ID` (the inbound id) finds
    /// its user without any table of ids.
    ///
    /// ```swift
    /// Wamid.phone(of: Wamid.inbound(phone: "250788123456", sequence: 7))  // "250788123456"
    /// ```
    public static func phone(of id: String) -> String? {
        guard id.hasPrefix("wamid."), let raw = Base64.decode(id.utf8.dropFirst(6)) else { return nil }
        guard raw.count > 3, raw[0] == 0x1C, raw[1] == 0x18 else { return nil }
        let length = Int(raw[2])
        guard length > 0, raw.count >= 3 + length else { return nil }
        let phone = raw[3 ..< 3 + length]
        guard phone.allSatisfy({ (UInt8(ascii: "0") ... UInt8(ascii: "9")).contains($0) }) else { return nil }
        return String(decoding: phone, as: UTF8.self)
    }
}

extension Base64 {
    /// Standard base64 with or without padding (RFC 4648 §4); nil on any other byte.
    public static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 4 * 3)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in text where byte != UInt8(ascii: "=") {
            guard let value = sextet(byte) else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return out
    }

    private static func sextet(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A") ... UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a") ... UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}
