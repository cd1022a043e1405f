import NIOCore
import NIOHTTP1

extension ResponseParser {
    /// Reads a head — its status line, then its fields up to the empty line — and sets how the body is
    /// framed; nil when the client can go on, or why it cannot.
    mutating func begin(_ head: UnsafeRawBufferPointer) -> String? {
        guard let lf = head.firstIndex(of: 0x0A) else { return "a response head without a status line" }
        let line = Self.trimmingCR(UnsafeRawBufferPointer(rebasing: head[..<lf]))
        guard let (status, minor) = Self.statusLine(line) else { return "not an HTTP/1.x status line" }
        let fieldBytes = UnsafeRawBufferPointer(rebasing: head[(lf + 1)...])
        var framing = Framing()
        guard framing.read(fieldBytes) else { return "a header line without a colon" }
        if framing.badLength { return "a Content-Length that is not one" }
        self.status = status
        // The caller takes the fields from where they were read, unless they had to be unfolded.
        fields = .array(framing.folded ? Fields.unfolded(fieldBytes) : [])
        fieldsAt = framing.folded ? nil : lf + 1
        keepAlive = framing.close ? false : minor > 0 || framing.keepAlive
        if status / 100 == 1, status != 101 {
            state = .head  // an interim response (100 Continue, 103 Early Hints): the final one follows
            return nil
        }
        if headRequest || status / 100 == 1 || status == 204 || status == 304 {
            if status == 101 { keepAlive = false }  // the connection speaks another protocol now
            state = .sized(0)
        } else if framing.transferEncoded {
            // Transfer-Encoding overrides Content-Length; an encoding other than chunked ends with the connection.
            state = framing.chunked ? .chunkSize : .untilClose
            if !framing.chunked || framing.length != nil { keepAlive = false }
        } else if let length = framing.length {
            guard length <= maxBodyBytes else { return "the response body is over \(maxBodyBytes) bytes" }
            state = .sized(length)
        } else {
            state = .untilClose
            keepAlive = false
        }
        return nil
    }

    /// `HTTP/1.x NNN reason`: the status and x, or nil.
    static func statusLine(_ line: UnsafeRawBufferPointer) -> (Int, Int)? {
        let prefix = "HTTP/1.".utf8
        guard line.count >= 12, line.prefix(7).elementsEqual(prefix), line[8] == 0x20, line.count == 12 || line[12] == 0x20 else { return nil }
        guard let minor = digit(line[7]), let a = digit(line[9]), let b = digit(line[10]), let c = digit(line[11]), a > 0 else { return nil }
        return (a * 100 + b * 10 + c, minor)
    }

    static func digit(_ byte: UInt8) -> Int? {
        (0x30...0x39).contains(byte) ? Int(byte - 0x30) : nil
    }

    /// What a head's fields say of the body and the connection.
    struct Framing {
        var length: Int?
        var badLength = false
        var transferEncoded = false
        /// Whether the last transfer coding is chunked.
        var chunked = false
        var close = false
        var keepAlive = false
        var folded = false

        /// Reads `fields`; false when a line is not a field.
        mutating func read(_ fields: UnsafeRawBufferPointer) -> Bool {
            Fields.each(in: fields) { name, value in
                guard let name else { folded = true; return }
                if Fields.named(name, "content-length") {
                    Fields.eachItem(in: value) { item in
                        guard !item.isEmpty, item.count <= 18, let n = Fields.decimal(item) else { badLength = true; return }
                        if let length, length != n { badLength = true }
                        length = n
                    }
                } else if Fields.named(name, "transfer-encoding") {
                    transferEncoded = true
                    var last: Fields.Bytes?
                    Fields.eachItem(in: value) { item in if !item.isEmpty { last = item } }
                    if let last { chunked = Fields.named(last, "chunked") }
                } else if Fields.named(name, "connection") {
                    Fields.eachItem(in: value) { item in
                        if Fields.named(item, "close") { close = true } else if Fields.named(item, "keep-alive") { keepAlive = true }
                    }
                }
            }
        }
    }
}

/// Header fields as bytes: read for framing, and parsed into `HTTPHeaders` only when asked.
enum Fields {
    typealias Bytes = Slice<UnsafeRawBufferPointer>

    /// Calls `body` with each field's name and value (trimmed), up to an empty line or the end; a folded
    /// continuation line comes with a nil name. False when a line has no colon.
    @discardableResult
    static func each(in bytes: UnsafeRawBufferPointer, _ body: (Bytes?, Bytes) -> Void) -> Bool {
        var start = 0
        while start < bytes.count {
            let lf = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            var line = bytes[start..<lf]
            start = lf + 1
            if line.last == 0x0D { line = line.dropLast() }
            if line.isEmpty { return true }
            if line.first == 0x20 || line.first == 0x09 {
                body(nil, trimmed(line))
                continue
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return false }
            body(trimmed(line[..<colon]), trimmed(line[(colon + 1)...]))
        }
        return true
    }

    static func trimmed(_ bytes: Bytes) -> Bytes {
        var b = bytes
        while let f = b.first, f == 0x20 || f == 0x09 { b = b.dropFirst() }
        while let l = b.last, l == 0x20 || l == 0x09 { b = b.dropLast() }
        return b
    }

    /// Calls `body` with each comma-separated item of a value, trimmed (empty ones too), with no array
    /// made: every response's Content-Length and Connection are read this way.
    static func eachItem(in value: Bytes, _ body: (Bytes) -> Void) {
        var start = value.startIndex
        while true {
            let comma = value[start...].firstIndex(of: UInt8(ascii: ",")) ?? value.endIndex
            body(trimmed(value[start..<comma]))
            guard comma < value.endIndex else { return }
            start = comma + 1
        }
    }

    /// Whether `bytes` is `lowercase`, ignoring ASCII case.
    static func named(_ bytes: Bytes, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        return lowercase.withUTF8Buffer { name in
            zip(bytes, name).allSatisfy { a, b in ((0x41...0x5A).contains(a) ? a | 0x20 : a) == b }
        }
    }

    static func decimal(_ bytes: Bytes) -> Int? {
        var n = 0
        for byte in bytes {
            guard let d = ResponseParser.digit(byte) else { return nil }
            n = n * 10 + d
        }
        return n
    }

    /// `bytes` with each folded line joined to the one before it by a space (RFC 9112 §5.2: a client
    /// replaces an obs-fold with spaces).
    static func unfolded(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let crlf = bytes[i] == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A
            let end = crlf ? i + 2 : i + 1
            if bytes[i] == 0x0A || crlf, end < bytes.count, bytes[end] == 0x20 || bytes[end] == 0x09 {
                out.append(0x20)
                i = end
                while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    /// The fields in `bytes` as `HTTPHeaders`.
    static func headers(_ bytes: [UInt8]) -> HTTPHeaders {
        var headers = HTTPHeaders()
        _ = bytes.withUnsafeBytes { raw in
            each(in: raw) { name, value in
                guard let name else { return }
                headers.add(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self))
            }
        }
        return headers
    }
}
