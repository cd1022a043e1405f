import LoadgenHTTP
import NIOHTTP1

/// Which upstream calls each inbound message caused, by its `X-Correlation-ID` (the message's wamid):
/// how a smoke test against the embedded bot sees whether a message reached the AI.
actor UpstreamCallLog {
    private var calls: [String: [String]] = [:]
    /// Messages remembered at most; later ones are not recorded (a smoke test needs only its first few).
    private let limit: Int

    init(limit: Int = 10_000) { self.limit = limit }

    func record(path: String, correlation: String?) {
        guard let correlation, calls[correlation] != nil || calls.count < limit else { return }
        calls[correlation, default: []].append(path)
    }

    /// LLM calls (`/v1/chat/completions`) the message `correlation` caused.
    func llmCalls(correlation: String) -> Int {
        calls[correlation]?.filter { $0 == "/v1/chat/completions" }.count ?? 0
    }

    /// A responder that records each call in `log` (nil: records nothing) and lets `inner` answer it.
    struct Recording<Inner: HTTPResponder>: HTTPResponder {
        let inner: Inner
        let log: UpstreamCallLog?

        init(_ inner: Inner, into log: UpstreamCallLog?) {
            self.inner = inner
            self.log = log
        }

        func respond(to request: ServerRequest) async -> ServerResponse {
            await log?.record(path: String(request.path), correlation: request.headers.first(name: "X-Correlation-ID"))
            return await inner.respond(to: request)
        }
    }
}
