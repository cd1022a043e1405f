@testable import LoadgenHTTP
import NIOCore
import NIOHTTP1
import Testing

/// The bytes a request goes out as: the head's fixed prefix, the one header that changes per request,
/// `Content-Length` and the body, exactly, with a CR or LF in a name or value written as a space.
@Suite struct RequestHeadTests {
    static func encoded(_ head: RequestHead, header: (name: String, value: String)?, body: String, into buffer: inout ByteBuffer) -> String {
        head.encode(header: header, body: Array(body.utf8), into: &buffer)
        return String(buffer: buffer)
    }

    @Test func aSignedPostIsThePrefixTheHeaderTheLengthAndTheBody() {
        let head = RequestHead(method: .POST, path: "/webhook?x=1", host: "127.0.0.1:8080",
                               headers: [("Content-Type", "application/json"), ("Host", "ignored"), ("Content-Length", "99")])
        var buffer = ByteBuffer()
        let wire = Self.encoded(head, header: ("X-Hub-Signature-256", "sha256=ab12"), body: #"{"a":1}"#, into: &buffer)
        #expect(wire == "POST /webhook?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: application/json\r\n"
            + "X-Hub-Signature-256: sha256=ab12\r\nContent-Length: 7\r\n\r\n{\"a\":1}")
    }

    @Test func theBufferIsClearedAndUsedAgainForTheNextRequest() {
        let head = RequestHead(method: .POST, path: "/", host: "h", headers: [(String, String)]())
        var buffer = ByteBuffer()
        _ = Self.encoded(head, header: ("S", String(repeating: "x", count: 500)), body: String(repeating: "y", count: 5000), into: &buffer)
        let wire = Self.encoded(head, header: nil, body: "", into: &buffer)
        #expect(wire == "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n")  // a POST says its length, even 0
    }

    @Test func lengthsOfEveryNumberOfDigits() {
        let head = RequestHead(method: .PUT, path: "/", host: "h", headers: [(String, String)]())
        var buffer = ByteBuffer()
        for length in [0, 9, 10, 99, 100, 999, 1000, 65_535, 100_000, 1_048_576] {
            let wire = Self.encoded(head, header: nil, body: String(repeating: "z", count: length), into: &buffer)
            #expect(wire.hasPrefix("PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: \(length)\r\n\r\n"))
            #expect(wire.utf8.count == "PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: \(length)\r\n\r\n".utf8.count + length)
        }
    }

    @Test func aGetWithoutABodySaysNoLength() {
        let head = RequestHead(method: .GET, path: "/health", host: "h", headers: [("Accept", "*/*")])
        var buffer = ByteBuffer()
        #expect(Self.encoded(head, header: nil, body: "", into: &buffer) == "GET /health HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n\r\n")
    }

    @Test func aLineBreakInAHeaderCannotSplitIt() {
        let head = RequestHead(method: .POST, path: "/a\r\nX: y", host: "h", headers: [("A\nB", "c\r\nEvil: 1")])
        var buffer = ByteBuffer()
        let wire = Self.encoded(head, header: ("Id\r\n", "v\nInjected: 1"), body: "b", into: &buffer)
        #expect(wire == "POST /a  X: y HTTP/1.1\r\nHost: h\r\nA B: c  Evil: 1\r\nId  : v Injected: 1\r\nContent-Length: 1\r\n\r\nb")
    }
}
