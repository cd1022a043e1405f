import NIOCore
import NIOHTTP1

/// A request's line and fixed headers, encoded once: what is the same on every request of a caller
/// (`POST /webhook HTTP/1.1`, `Host`, `Content-Type`, `User-Agent`…). A request is this prefix, the
/// headers that change per request (a signature), `Content-Length` and the body, written into one buffer
/// with no `HTTPHeaders` built, validated or encoded per request: on the generator's hot path that was
/// a tenth of a request's CPU.
///
/// ```swift
/// let head = client.head(.POST, "/webhook", headers: [("Content-Type", "application/json")])
/// await client.execute(head, headers: [("X-Hub-Signature-256", signature)], body: body, timeout: .seconds(5))
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
        for c in text.utf8 { bytes.append(c == 0x0D || c == 0x0A ? UInt8(ascii: " ") : c) }
    }

    private static func writeClean(_ text: String, to buffer: inout ByteBuffer) {
        if !text.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A }) {
            buffer.writeString(text)
            return
        }
        var bytes: [UInt8] = []
        appendClean(text, to: &bytes)
        buffer.writeBytes(bytes)
    }

    /// Writes the whole request into `buffer`, cleared first: the prefix, `headers` (cleaned like the fixed
    /// ones: a correlation id may come from a webhook's bytes), the length and `body`. A connection writes
    /// each of its requests into one buffer: the last one's bytes are on the wire by then, and the buffer's
    /// storage is used again, not allocated per request (a webhook's request is past the sizes the C
    /// allocator keeps at hand, and allocating it took 3 % of a run).
    func encode(headers: some Sequence<(String, String)>, body: [UInt8], into buffer: inout ByteBuffer) {
        buffer.clear(minimumCapacity: prefix.count + 128 + body.count)
        buffer.writeBytes(prefix)
        for (name, value) in headers {
            Self.writeClean(name, to: &buffer)
            buffer.writeStaticString(": ")
            Self.writeClean(value, to: &buffer)
            buffer.writeStaticString("\r\n")
        }
        if sendsLength || !body.isEmpty {
            buffer.writeStaticString("Content-Length: ")
            buffer.writeString(String(body.count))
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("\r\n")
        buffer.writeBytes(body)
    }
}
