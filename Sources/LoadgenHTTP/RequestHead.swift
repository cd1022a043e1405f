import NIOCore
import NIOHTTP1

/// A request's line and fixed headers, encoded once: what is the same on every request of a caller
/// (`POST /webhook HTTP/1.1`, `Host`, `Content-Type`, `User-Agent`…). A request is this prefix, the
/// header that changes per request (a signature), `Content-Length` and the body, written into one buffer
/// with no `HTTPHeaders` built, validated or encoded per request: on the generator's hot path that was
/// a tenth of a request's CPU.
///
/// ```swift
/// let head = client.head(.POST, "/webhook", headers: [("Content-Type", "application/json")])
/// await client.execute(head, header: ("X-Hub-Signature-256", signature), body: body, timeout: .seconds(5))
/// ```
public struct RequestHead: Sendable {
    /// The method, which the response parser must know (a `HEAD` response has no body).
    let method: HTTPMethod
    /// `METHOD path HTTP/1.1\r\n` and each fixed header's line.
    let prefix: [UInt8]
    /// Whether a `Content-Length` goes on every request (a POST or PUT always says its length).
    let sendsLength: Bool

    /// The head of `method` requests for `path` on `host`, with `headers` on every request. A CR or LF in
    /// a name or value (which would split the header into two) is written as a space.
    init(method: HTTPMethod, path: String, host: String, headers: some Sequence<(String, String)>) {
        self.method = method
        sendsLength = method == .POST || method == .PUT
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        bytes += method.rawValue.utf8
        bytes.append(UInt8(ascii: " "))
        Self.appendClean(path, to: &bytes)
        bytes += " HTTP/1.1\r\nHost: ".utf8
        Self.appendClean(host, to: &bytes)
        bytes += "\r\n".utf8
        for (name, value) in headers where name.lowercased() != "host" && name.lowercased() != "content-length" {
            Self.appendClean(name, to: &bytes)
            bytes += ": ".utf8
            Self.appendClean(value, to: &bytes)
            bytes += "\r\n".utf8
        }
        prefix = bytes
    }

    private static func appendClean(_ text: String, to bytes: inout [UInt8]) {
        for c in text.utf8 { bytes.append(isLineBreak(c) ? UInt8(ascii: " ") : c) }
    }

    /// A CR or LF: in a header's name or value it would split the header in two.
    private static func isLineBreak(_ byte: UInt8) -> Bool { byte == 0x0D || byte == 0x0A }

    /// Writes the whole request into `buffer`, cleared first: the prefix, `header` (cleaned like the fixed
    /// ones: a correlation id may come from a webhook's bytes), the length and `body`, all sized first and
    /// copied in one write (written a piece at a time, each piece checking the buffer's room and ownership
    /// again, it was a twentieth of a request's CPU). A connection writes each of its requests into one
    /// buffer: the last one's bytes are on the wire by then, and the buffer's storage is used again, not
    /// allocated per request (a webhook's request is past the sizes the C allocator keeps at hand, and
    /// allocating it took 3 % of a run).
    func encode(header: (name: String, value: String)?, body: [UInt8], into buffer: inout ByteBuffer) {
        let length = sendsLength || !body.isEmpty ? body.count : nil
        var size = prefix.count + 2 + body.count
        if let header { size += header.name.utf8.count + 2 + header.value.utf8.count + 2 }
        if length != nil { size += 16 + 20 + 2 }  // "Content-Length: ", digits, CR LF
        buffer.clear(minimumCapacity: size)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { out in
            var w = Writer(base: out.baseAddress!)
            prefix.withUnsafeBytes { w.put($0) }
            if let header {
                w.putClean(header.name)
                w.put(": ")
                w.putClean(header.value)
                w.put("\r\n")
            }
            if let length {
                w.put("Content-Length: ")
                w.putDigits(of: length)
                w.put("\r\n")
            }
            w.put("\r\n")
            body.withUnsafeBytes { w.put($0) }
            return w.at
        }
    }

    /// Writes into memory sized beforehand. A struct, mutated in place: local functions sharing a counter
    /// had it boxed, and every access to it checked for exclusivity at run time.
    private struct Writer {
        let base: UnsafeMutableRawPointer
        var at = 0

        mutating func put(_ bytes: UnsafeRawBufferPointer) {
            guard let from = bytes.baseAddress, !bytes.isEmpty else { return }
            (base + at).copyMemory(from: from, byteCount: bytes.count)
            at += bytes.count
        }

        mutating func put(_ text: StaticString) { put(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)) }

        /// `text`, a CR or LF in it written as a space (looked for first: in a header there is none).
        mutating func putClean(_ text: String) {
            let from = at
            // In place (a native string's bytes are contiguous); copied out only when they are not.
            if text.utf8.withContiguousStorageIfAvailable({ put(UnsafeRawBufferPointer($0)) }) == nil {
                Array(text.utf8).withUnsafeBytes { put($0) }
            }
            let written = UnsafeMutableRawBufferPointer(start: base + from, count: at - from)
            guard written.contains(where: RequestHead.isLineBreak) else { return }
            for i in written.indices where RequestHead.isLineBreak(written[i]) { written[i] = UInt8(ascii: " ") }
        }

        /// `value`'s decimal digits (20 at most).
        mutating func putDigits(of value: Int) {
            var digits = 1, left = value / 10
            while left > 0 { (digits, left) = (digits + 1, left / 10) }
            var rest = value
            for i in (0..<digits).reversed() {
                base.storeBytes(of: UInt8(ascii: "0") + UInt8(rest % 10), toByteOffset: at + i, as: UInt8.self)
                rest /= 10
            }
            at += digits
        }
    }
}
