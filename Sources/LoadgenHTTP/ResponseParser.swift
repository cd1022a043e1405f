import NIOCore
import NIOHTTP1

/// The responses on a client connection that carries one request at a time, read from its bytes as they
/// come (RFC 9112): the status line, the header fields kept as they came (`ClientResponse.headers` parses
/// them when asked), and the body framed by `Content-Length`, by chunks, or by the connection's end.
///
/// Written for the generator's hot path: NIO's decoder built an `HTTPHeaders` of `String`s for every
/// response and passed head, body and end down the pipeline as three events, a tenth of a 100,000-user
/// run's CPU. Here a response that comes in one read is scanned once and not copied: its fields and
/// body are slices of the buffer it was read into. What a bot nobody wrote may send is read as the RFC
/// says a client must: interim (1xx) responses are skipped, a `HEAD` or 204 or 304 answer has no body,
/// `Transfer-Encoding` overrides `Content-Length`, a body without either ends with the connection, an
/// HTTP/1.0 answer closes it unless it says keep-alive, lines may end in a bare LF, and folded field
/// lines are unfolded.
struct ResponseParser {
    /// What a read came to.
    enum Outcome {
        /// The response is not complete yet.
        case more
        /// A response, and whether the connection may carry another request.
        case response(ClientResponse, keepAlive: Bool)
        /// The bytes are not a response the client can read: the connection must close.
        case failed(String)
    }

    /// The longest head (status line and fields) read; NIO's decoder allowed 80 KB.
    static let maxHeadBytes = 64 * 1024
    /// The longest chunk-size or trailer line read.
    static let maxLineBytes = 8 * 1024

    enum State: Equatable {
        /// No request in flight: any byte is one the client did not ask for.
        case idle
        /// Reading a head (of an interim response too).
        case head
        /// Reading a body of a known length: this many bytes left.
        case sized(Int)
        /// Reading a chunk-size line.
        case chunkSize
        /// Reading a chunk's data: this many bytes left, then its line end.
        case chunkData(Int)
        /// Reading the line end after a chunk's data.
        case chunkEnd
        /// Reading the trailer fields after the last chunk, up to an empty line.
        case trailers
        /// Reading a body that ends when the connection does.
        case untilClose
    }

    let maxBodyBytes: Int
    var state = State.idle
    /// The bytes of a head or line that came in more than one read.
    private var pending: [UInt8] = []
    /// Whether the request in flight was a `HEAD` (its response has no body, whatever its fields say).
    var headRequest = false
    var status = 0
    var fields = ClientResponse.Bytes.array([])
    /// Where the fields start in the head `begin` read (nil: `fields` are set, unfolded).
    var fieldsAt: Int?
    private var body: [UInt8] = []
    /// The body, when it came whole in one read: a slice of that read's buffer, not a copy.
    private var bodySlice: ByteBuffer?
    var keepAlive = true

    init(maxBodyBytes: Int) { self.maxBodyBytes = maxBodyBytes }

    /// A request of `method` went out: its response comes next.
    mutating func expect(_ method: HTTPMethod) {
        state = .head
        headRequest = method == .HEAD
        pending.removeAll(keepingCapacity: true)
        body = []
        bodySlice = nil
    }

    /// Reads what `buffer` holds of the response (bytes after a complete response stay in it: a server
    /// that sends them is not answering this request, and the caller closes the connection).
    mutating func read(_ buffer: inout ByteBuffer) -> Outcome {
        while buffer.readableBytes > 0 {
            switch state {
            case .idle:
                return .failed("the server sent bytes with no request in flight")
            case .head:
                if let stop = readHead(&buffer) { return stop }
            case .sized(let left):
                if body.isEmpty, bodySlice == nil, let whole = buffer.readSlice(length: left) {
                    bodySlice = whole
                    state = .sized(0)
                } else {
                    state = .sized(left - take(left, from: &buffer))
                }
            case .chunkSize:
                guard let size = line(&buffer, Self.chunkSize) else { return pendingLine() }
                guard let size else { return fail("a chunk size that is not one") }
                guard body.count + size <= maxBodyBytes else { return tooLong() }
                state = size == 0 ? .trailers : .chunkData(size)
            case .chunkData(let left):
                let n = take(left, from: &buffer)
                state = left == n ? .chunkEnd : .chunkData(left - n)
            case .chunkEnd:
                guard let empty = line(&buffer, { $0.isEmpty }) else { return pendingLine() }
                guard empty else { return fail("chunk data longer than its size") }
                state = .chunkSize
            case .trailers:
                guard let empty = line(&buffer, { $0.isEmpty }) else { return pendingLine() }
                if empty { state = .sized(0) }
            case .untilClose:
                guard body.count + buffer.readableBytes <= maxBodyBytes else { return tooLong() }
                _ = take(buffer.readableBytes, from: &buffer)
            }
            if state == .sized(0) { return finish() }
        }
        return state == .sized(0) ? finish() : .more
    }

    /// The connection ended: the response, when its body was the rest of the connection; nil otherwise.
    mutating func closed() -> ClientResponse? {
        guard state == .untilClose else { return nil }
        keepAlive = false
        guard case .response(let response, _) = finish() else { return nil }
        return response
    }

    /// Moves up to `count` bytes of `buffer` into the body; how many it moved.
    private mutating func take(_ count: Int, from buffer: inout ByteBuffer) -> Int {
        let n = min(count, buffer.readableBytes)
        buffer.readWithUnsafeReadableBytes { body.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0.prefix(n))); return n }
        return n
    }

    private mutating func finish() -> Outcome {
        state = .idle
        let response = ClientResponse(status: status, fields: fields, body: bodySlice.map { .slice($0) } ?? .array(body))
        (body, bodySlice, fields) = ([], nil, .array([]))
        return .response(response, keepAlive: keepAlive)
    }

    mutating func fail(_ reason: String) -> Outcome {
        abandon()
        return .failed(reason)
    }

    /// Gives up the response under way (the connection is closing).
    mutating func abandon() {
        state = .idle
        pending.removeAll(keepingCapacity: true)
        (body, bodySlice, fields) = ([], nil, .array([]))
    }

    private mutating func tooLong() -> Outcome { fail("the response body is over \(maxBodyBytes) bytes") }

    private mutating func pendingLine() -> Outcome {
        pending.count > Self.maxLineBytes ? fail("a chunk line over \(Self.maxLineBytes) bytes") : .more
    }
}

extension ResponseParser {
    /// Reads a head off `buffer` when its end has come (with what came before): nil when it has been
    /// read and the body follows, `.more` or a failure otherwise.
    private mutating func readHead(_ buffer: inout ByteBuffer) -> Outcome? {
        if pending.isEmpty {
            // Empty lines before a status line are skipped (a server's stray CRLF after a body).
            let blank = buffer.readableBytesView.prefix { $0 == 0x0D || $0 == 0x0A }.count
            buffer.moveReaderIndex(forwardBy: blank)
            guard buffer.readableBytes > 0 else { return .more }
            let read = buffer.withUnsafeReadableBytes { bytes -> (Int, String?)? in
                guard let end = Self.headEnd(in: bytes, from: 0) else { return nil }
                return (end, begin(UnsafeRawBufferPointer(rebasing: bytes[..<end])))
            }
            guard let (end, failure) = read else {
                pending.append(contentsOf: buffer.readableBytesView)
                buffer.moveReaderIndex(to: buffer.writerIndex)
                return headNotYet()
            }
            if failure == nil, let at = fieldsAt { fields = .slice(buffer.getSlice(at: buffer.readerIndex + at, length: end - at)!) }
            buffer.moveReaderIndex(forwardBy: end)
            if let failure { return fail(failure) }
            return nil
        }
        let before = pending.count
        pending.append(contentsOf: buffer.readableBytesView)
        guard let end = pending.withUnsafeBytes({ Self.headEnd(in: $0, from: max(0, before - 3)) }) else {
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return headNotYet()
        }
        buffer.moveReaderIndex(forwardBy: end - before)  // the end came in this read: the rest is the body's
        let failure = pending.withUnsafeBytes { begin(UnsafeRawBufferPointer(rebasing: $0[..<end])) }
        if failure == nil, let at = fieldsAt { fields = .array(Array(pending[at..<end])) }
        pending.removeAll(keepingCapacity: true)
        if let failure { return fail(failure) }
        return nil
    }

    /// The head in `pending` has not ended yet: more to come, unless it cannot be the start of a status line
    /// (bytes that are not fail at once rather than wait for an end that will never come) or is too long.
    private mutating func headNotYet() -> Outcome {
        guard zip(pending, "HTTP/1.".utf8).allSatisfy({ $0 == $1 }) else { return fail("not an HTTP/1.x status line") }
        return pending.count > Self.maxHeadBytes ? fail("a response head over \(Self.maxHeadBytes) bytes") : .more
    }

    /// Where the head in `bytes` ends (past its empty line), looking from `start`.
    static func headEnd(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var i = start
        while i < bytes.count, let lf = bytes[i...].firstIndex(of: 0x0A) {
            let next = lf + 1
            if next < bytes.count, bytes[next] == 0x0A { return next + 1 }
            if next + 1 < bytes.count, bytes[next] == 0x0D, bytes[next + 1] == 0x0A { return next + 2 }
            i = next
        }
        return nil
    }

    /// Reads one line off `buffer` (without its CR LF or LF; with what came before) and returns what `body`
    /// makes of it; nil, keeping the bytes, when its end has not come.
    private mutating func line<T>(_ buffer: inout ByteBuffer, _ body: (UnsafeRawBufferPointer) -> T) -> T? {
        guard let lf = buffer.readableBytesView.firstIndex(of: 0x0A) else {
            pending.append(contentsOf: buffer.readableBytesView)
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return nil
        }
        let count = lf - buffer.readerIndex
        defer { buffer.moveReaderIndex(forwardBy: count + 1) }
        if pending.isEmpty {
            return buffer.withUnsafeReadableBytes { body(Self.trimmingCR(UnsafeRawBufferPointer(rebasing: $0.prefix(count)))) }
        }
        pending.append(contentsOf: buffer.readableBytesView.prefix(count))
        defer { pending.removeAll(keepingCapacity: true) }
        return pending.withUnsafeBytes { body(Self.trimmingCR($0)) }
    }

    static func trimmingCR(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        line.last == 0x0D ? UnsafeRawBufferPointer(rebasing: line.dropLast()) : line
    }

    /// A chunk-size line's size — hexadecimal digits, then optional whitespace and extensions — or nil.
    static func chunkSize(_ line: UnsafeRawBufferPointer) -> Int? {
        var size = 0
        var digits = 0
        for byte in line {
            let digit: Int
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = Int(byte - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = Int(byte - UInt8(ascii: "A")) + 10
            case UInt8(ascii: ";"), UInt8(ascii: " "), UInt8(ascii: "\t"): return digits > 0 ? size : nil
            default: return nil
            }
            digits += 1
            guard digits <= 15 else { return nil }  // past 2^60: not a size a server means
            size = size << 4 | digit
        }
        return digits > 0 ? size : nil
    }
}
