import Crypto

/// The `X-Hub-Signature-256` header: `sha256=` and the lowercase-hex HMAC-SHA256 of the exact body bytes.
public struct WebhookSigner: Sendable {
    /// HMAC-SHA256 (RFC 2104) keyed with the app secret and nothing hashed yet: SHA-256 after the inner
    /// and after the outer key block, hashed once here; each body starts from copies. Every delivery and
    /// status is signed on the hot path and checked again by the embedded bot, so this is written with
    /// `SHA256`'s non-generic `update(bufferPointer:)`: swift-crypto's `HMAC.update(data:)` is generic
    /// over `DataProtocol` and ran unspecialised here (2 % of a busy run in generic-metadata look-ups).
    private let inner: SHA256
    private let outer: SHA256

    /// A signer for the app secret that the target bot checks deliveries with.
    public init(appSecret: Secret) {
        var key = Array(appSecret.value.utf8)
        if key.count > 64 { key = Array(SHA256.hash(data: key)) }
        key += [UInt8](repeating: 0, count: 64 - key.count)
        var inner = SHA256(), outer = SHA256()
        key.map { $0 ^ 0x36 }.withUnsafeBytes { inner.update(bufferPointer: $0) }
        key.map { $0 ^ 0x5C }.withUnsafeBytes { outer.update(bufferPointer: $0) }
        (self.inner, self.outer) = (inner, outer)
    }

    /// The HMAC-SHA256 of `body`.
    private func code(for body: [UInt8]) -> SHA256.Digest {
        var inner = self.inner, outer = self.outer
        body.withUnsafeBytes { inner.update(bufferPointer: $0) }
        inner.finalize().withUnsafeBytes { outer.update(bufferPointer: $0) }
        return outer.finalize()
    }

    /// The header value for `body`, e.g. `sha256=ad0b2d62…`.
    public func signature(for body: [UInt8]) -> String {
        code(for: body).withUnsafeBytes { mac in
            String(unsafeUninitializedCapacity: 7 + 2 * mac.count) { out in
                var n = 0
                for c in "sha256=".utf8 { out[n] = c; n += 1 }
                for byte in mac {
                    out[n] = Hex.lowercaseDigits[Int(byte >> 4)]
                    out[n + 1] = Hex.lowercaseDigits[Int(byte & 0xF)]
                    n += 2
                }
                return n
            }
        }
    }

    /// Whether `header` is the right signature for `body`, compared in constant time (hex digits of either
    /// case; read in place, nothing allocated: the embedded bot checks every delivery and status).
    public func isValid(signatureHeader header: String?, body: [UInt8]) -> Bool {
        guard let header, header.hasPrefix("sha256=") else { return false }
        let hex = header.utf8.dropFirst(7)
        guard hex.count == 64 else { return false }
        return code(for: body).withUnsafeBytes { mac in
            var difference: UInt8 = 0, valid = true
            var digits = hex.makeIterator()
            for byte in mac {
                guard let high = digits.next().flatMap(Hex.value(of:)), let low = digits.next().flatMap(Hex.value(of:)) else {
                    valid = false
                    continue
                }
                difference |= (high << 4 | low) ^ byte
            }
            return valid && difference == 0
        }
    }
}

/// Comparison that looks at every byte whatever the first mismatch, so timing reveals nothing.
package enum ConstantTime {
    /// Whether `a` and `b` are equal, in time that depends only on their lengths.
    package static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
