import Crypto

/// The bytes behind a media id loadgen makes up, derived from the id alone: a simulated user's photo
/// has content a bot can download from the stand-in Graph API, and its `sha256` in the webhook is the
/// digest of exactly those bytes — with no store, in any process that knows the id.
///
/// The id's last two digits say the mime type (`MediaBytes.mimeTypes`); its size is 2–64 KiB.
public enum MediaBytes {
    /// The mime types a made-up media id can carry, by the id's last two digits.
    public static let mimeTypes = ["image/jpeg", "audio/ogg; codecs=opus", "audio/mpeg", "application/pdf", "image/webp", "video/mp4"]

    /// A media id for `mimeType` from `seed` (16 digits; the last two name the mime type).
    public static func id(seed: UInt64, mimeType: String) -> String {
        var random = SeededRandom(seed: seed, stream: 0x3ED1A)
        let kind = UInt64(mimeTypes.firstIndex(of: mimeType) ?? 0)
        return String(1_000_000_000_000_000 + (random.next() % 89_999_999_999_999) * 100 + kind)
    }

    /// The mime type a made-up id carries; nil for an id loadgen did not make.
    public static func mimeType(ofID id: String) -> String? {
        guard id.count == 16, id.allSatisfy(\.isNumber), let kind = Int(id.suffix(2)), kind < mimeTypes.count else { return nil }
        return mimeTypes[kind]
    }

    /// The content of media `id`.
    public static func content(ofID id: String) -> [UInt8] {
        var random = SeededRandom(seed: SeededRandom.digest(id.utf8), stream: 0x3ED1B)
        let count = 2_048 + Int(random.next() % 63_488)
        var bytes = [UInt8]()
        bytes.reserveCapacity(count + 8)
        while bytes.count < count { withUnsafeBytes(of: random.next()) { bytes.append(contentsOf: $0) } }
        return Array(bytes.prefix(count))
    }

    /// The base64 SHA-256 of `bytes`, as webhooks and `GET /{media-id}` give it.
    public static func sha256(_ bytes: [UInt8]) -> String { Base64.encode(Array(SHA256.hash(data: bytes))) }
}
