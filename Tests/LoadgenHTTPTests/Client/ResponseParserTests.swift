@testable import LoadgenHTTP
import NIOCore
import NIOHTTP1
import Testing

/// The client's response parser against RFC 9112's framing rules, each response fed whole, split in two
/// at every byte, and a byte at a time: what it reads never depends on how the bytes came.
@Suite struct ResponseParserTests {
    /// What reading one response came to, in a form to compare.
    enum Read: Equatable {
        case response(status: Int, headers: [String], body: String, keepAlive: Bool, left: Int)
        case failed(String)
        case incomplete
    }

    /// Reads `text` as the response to a `method` request, fed in the pieces `cuts` makes, then (when
    /// `closes`) the connection's end.
    static func read(_ text: String, method: HTTPMethod = .POST, cuts: [Int] = [], closes: Bool = false, maxBody: Int = 1 << 20) -> Read {
        let bytes = Array(text.utf8)
        var parser = ResponseParser(maxBodyBytes: maxBody)
        parser.expect(method)
        var start = 0
        for end in cuts + [bytes.count] where end >= start {
            var buffer = ByteBuffer(bytes: bytes[start..<end])
            start = end
            switch parser.read(&buffer) {
            case .more: continue
            case .failed(let reason): return .failed(reason)
            case .response(let r, let keepAlive):
                return .response(status: r.status, headers: r.headers.map { "\($0.name)=\($0.value)" }, body: String(decoding: r.body, as: UTF8.self),
                                 keepAlive: keepAlive, left: buffer.readableBytes + bytes.count - end)
            }
        }
        if closes, let r = parser.closed() {
            return .response(status: r.status, headers: r.headers.map { "\($0.name)=\($0.value)" }, body: String(decoding: r.body, as: UTF8.self),
                             keepAlive: false, left: 0)
        }
        return .incomplete
    }

    /// `read` the same whichever way the bytes are cut.
    static func expectSame(_ text: String, method: HTTPMethod = .POST, closes: Bool = false, maxBody: Int = 1 << 20, _ expected: Read,
                           sourceLocation: SourceLocation = #_sourceLocation) {
        let n = text.utf8.count
        #expect(read(text, method: method, closes: closes, maxBody: maxBody) == expected, "whole", sourceLocation: sourceLocation)
        for cut in 1..<max(1, n) {
            let got = read(text, method: method, cuts: [cut], closes: closes, maxBody: maxBody)
            #expect(got == expected, "cut at \(cut)", sourceLocation: sourceLocation)
            if got != expected { return }
        }
        #expect(read(text, method: method, cuts: Array(1..<max(1, n)), closes: closes, maxBody: maxBody) == expected, "a byte at a time",
                sourceLocation: sourceLocation)
    }

    @Test func aBodyOfContentLength() {
        Self.expectSame("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Request: a b\r\n\r\nhello",
                        .response(status: 200, headers: ["Content-Length=5", "X-Request=a b"], body: "hello", keepAlive: true, left: 0))
    }

    @Test func chunksWithExtensionsAndTrailers() {
        Self.expectSame("HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n5;name=x\r\nhello\r\nA\r\n world, hi\r\n0\r\nX-Trailer: t\r\n\r\n",
                        .response(status: 201, headers: ["Transfer-Encoding=chunked"], body: "hello world, hi", keepAlive: true, left: 0))
    }

    @Test func interimResponsesAreSkipped() {
        Self.expectSame("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                        .response(status: 200, headers: ["Content-Length=2"], body: "ok", keepAlive: true, left: 0))
    }

    @Test func noBodyAfter204Or304OrForHEAD() {
        Self.expectSame("HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n",
                        .response(status: 204, headers: ["Content-Length=7"], body: "", keepAlive: true, left: 0))
        Self.expectSame("HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
                        .response(status: 304, headers: ["Transfer-Encoding=chunked"], body: "", keepAlive: true, left: 0))
        Self.expectSame("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", method: .HEAD,
                        .response(status: 200, headers: ["Content-Length=100"], body: "", keepAlive: true, left: 0))
    }

    @Test func aBodyWithNoLengthEndsWithTheConnection() {
        Self.expectSame("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it", closes: true,
                        .response(status: 200, headers: ["Content-Type=text/plain"], body: "all of it", keepAlive: false, left: 0))
        #expect(Self.read("HTTP/1.1 200 OK\r\n\r\nall of") == .incomplete)
        #expect(Self.read("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nall of", closes: true) == .incomplete)
    }

    @Test func whatTheConnectionSaysOfItself() {
        Self.expectSame("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n",
                        .response(status: 200, headers: ["Connection=Keep-Alive", "Content-Length=0"], body: "", keepAlive: true, left: 0))
        Self.expectSame("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n",
                        .response(status: 200, headers: ["Content-Length=0"], body: "", keepAlive: false, left: 0))
        Self.expectSame("HTTP/1.1 503 Service Unavailable\r\nconnection: upgrade, CLOSE\r\ncontent-length: 1\r\n\r\nx",
                        .response(status: 503, headers: ["connection=upgrade, CLOSE", "content-length=1"], body: "x", keepAlive: false, left: 0))
        // Both framings: Transfer-Encoding wins, and the connection is not used again.
        Self.expectSame("HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n",
                        .response(status: 200, headers: ["Content-Length=99", "Transfer-Encoding=chunked"], body: "x", keepAlive: false, left: 0))
    }

    @Test func bareLineFeedsFoldedLinesAndAStrayLineBefore() {
        Self.expectSame("\r\nHTTP/1.1 200\nX-Long: one\n  two\r\n\tthree\nContent-Length: 1\n\nz",
                        .response(status: 200, headers: ["X-Long=one two three", "Content-Length=1"], body: "z", keepAlive: true, left: 0))
    }

    @Test func bytesPastTheResponseAreLeftForTheCallerToRefuse() {
        #expect(Self.read("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxHTTP/1.1 200 OK\r\n")
            == .response(status: 200, headers: ["Content-Length=1"], body: "x", keepAlive: true, left: 17))
    }

    @Test func whatIsNotAResponseFails() {
        let cases: [(String, String)] = [
            ("SSH-2.0-OpenSSH\r\n\r\n", "not an HTTP/1.x status line"),
            ("HTTP/2 200\r\n\r\n", "not an HTTP/1.x status line"),
            ("HTTP/1.1 20 OK\r\n\r\n", "not an HTTP/1.x status line"),
            ("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "a header line without a colon"),
            ("HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n", "a Content-Length that is not one"),
            ("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "a Content-Length that is not one"),
            ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n", "a Content-Length that is not one"),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "a chunk size that is not one"),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nxy\r\n", "chunk data longer than its size"),
            ("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n", "the response body is over 10 bytes"),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello \r\n6\r\n", "the response body is over 10 bytes"),
        ]
        // Bytes that cannot begin a status line fail at once, without waiting for a head's end.
        Self.expectSame("SSH-2.0-OpenSSH_9.2\r\n", .failed("not an HTTP/1.x status line"))
        Self.expectSame("HTTP/2 200\r\n", .failed("not an HTTP/1.x status line"))
        for (text, reason) in cases {
            Self.expectSame(text, maxBody: 10, .failed(reason))
        }
        #expect(Self.read("HTTP/1.0 200 OK\r\n\r\n" + String(repeating: "x", count: 11), closes: true, maxBody: 10)
            == .failed("the response body is over 10 bytes"))
        #expect(Self.read("HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: ResponseParser.maxHeadBytes), cuts: [100])
            == .failed("a response head over \(ResponseParser.maxHeadBytes) bytes"))
    }

    @Test func bytesWithNoRequestInFlightFail() {
        var parser = ResponseParser(maxBodyBytes: 100)
        var buffer = ByteBuffer(string: "HTTP/1.1 408 Request Timeout\r\n\r\n")
        guard case .failed(let reason) = parser.read(&buffer) else { Issue.record("read bytes no request asked for"); return }
        #expect(reason == "the server sent bytes with no request in flight")
    }

    @Test func oneParserReadsOneResponseAfterAnother() {
        var parser = ResponseParser(maxBodyBytes: 100)
        for (i, text) in ["HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na", "HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nb\r\n0\r\n\r\n"]
            .enumerated() {
            parser.expect(.POST)
            var buffer = ByteBuffer(string: text)
            guard case .response(let r, true) = parser.read(&buffer) else { Issue.record("response \(i) not read"); return }
            #expect(r.status == [200, 202][i] && r.body == [Array("a".utf8), Array("b".utf8)][i])
        }
    }
}
