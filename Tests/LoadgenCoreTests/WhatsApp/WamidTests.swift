import Foundation
import LoadgenCore
import Testing

/// Message ids are written in place (no arrays or strings put together per id); they must stay the
/// bytes the plain construction gives — bots store and compare them, and `Wamid.phone(of:)` reads them back.
@Suite struct WamidTests {
    /// The plain construction: the struct Meta's ids decode to, as an array, base64 by Foundation.
    static func plain(phone: String, direction: UInt8, hexID: String) -> String {
        var raw: [UInt8] = [0x1C, 0x18, UInt8(phone.utf8.count)] + Array(phone.utf8)
        raw += [0x15, 0x02, 0x00, direction, 0x18, UInt8(hexID.utf8.count)] + Array(hexID.utf8) + [0x00]
        return "wamid." + Data(raw).base64EncodedString()
    }

    /// SplitMix64's finaliser, as `Wamid` mixes sequence numbers; its hex, 18 digits, uppercase.
    static func hex18(_ x: UInt64) -> String {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        let hex = String(z ^ (z >> 31), radix: 16, uppercase: true)
        return String(repeating: "0", count: 18 - hex.count) + hex
    }

    @Test(arguments: ["250788123456", "1", "15550001111", "447700900123456", ""])
    func idsAreThePlainConstructionsBytes(phone: String) {
        for sequence: UInt64 in [0, 1, 2, 7, 255, 1 << 32, .max - 1, .max] {
            #expect(Wamid.inbound(phone: phone, sequence: sequence) == Self.plain(phone: phone, direction: 0x12, hexID: "3A" + Self.hex18(sequence)))
            #expect(Wamid.outbound(phone: phone, sequence: sequence)
                == Self.plain(phone: phone, direction: 0x11, hexID: Self.hex18(sequence ^ 0x0BAD_5EED)))
            if !phone.isEmpty { #expect(Wamid.phone(of: Wamid.inbound(phone: phone, sequence: sequence)) == phone) }
        }
    }

    @Test func base64IsRFC4648ForEveryLengthRemainder() {
        var random = SystemRandomNumberGenerator()
        for count in 0 ..< 40 {
            let bytes = (0 ..< count).map { _ in UInt8.random(in: 0 ... 255, using: &random) }
            #expect(Base64.encode(bytes) == Data(bytes).base64EncodedString(), "\(count) bytes")
            #expect(Base64.decode(Array(Base64.encode(bytes).utf8)) == bytes)
        }
    }
}
