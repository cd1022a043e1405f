/// Text lowercased once and searched by its UTF-8 bytes: what JavaScript's `includes` on a lowercased
/// string does (EasyMO's classifiers are TypeScript), at a fraction of the cost of `String.contains`,
/// which compares grapheme by grapheme. UTF-8 is self-synchronising, so a byte match is always a match
/// of whole scalars.
public struct FoldedText: Sendable, Hashable {
    /// The lowercased text's UTF-8 bytes.
    public let bytes: [UInt8]

    /// `text`, lowercased.
    public init(_ text: some StringProtocol) { bytes = Array(text.lowercased().utf8) }

    /// Whether the text holds `needle` (itself folded).
    public func contains(_ needle: FoldedText) -> Bool { Self.find(needle.bytes, in: bytes) }

    /// Whether `needle` occurs in `haystack`, byte for byte (an empty needle always does).
    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        let m = needle.count, n = haystack.count
        guard m > 0 else { return true }
        guard m <= n else { return false }
        return needle.withUnsafeBufferPointer { p in
            haystack.withUnsafeBufferPointer { h in
                let first = p[0]
                var i = 0
                while i <= n - m {
                    if h[i] == first {
                        var j = 1
                        while j < m, h[i + j] == p[j] { j += 1 }
                        if j == m { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }
}
