import LoadgenCore
import NIOCore
import NIOHTTP1

/// Delivers signed webhook POSTs to the target, as Meta does: `Content-Type: application/json`,
/// `X-Hub-Signature-256`, `User-Agent: facebookexternalua`. Only an exactly-200 answer is an ack.
public struct WebhookClient: WebhookTransport {
    private let client: HTTPClient
    private let path: String
    private let ackTimeout: TimeAmount

    /// A transport posting to `target` over `client`.
    public init(client: HTTPClient, target: TargetURL, ackTimeout: Duration) {
        self.client = client
        self.path = target.pathAndQuery
        self.ackTimeout = TimeAmount(ackTimeout)
    }

    public func deliver(body: [UInt8], signature: String, user: Int) async -> DeliveryResult {
        let headers: HTTPHeaders = [
            "Content-Type": "application/json",
            "X-Hub-Signature-256": signature,
            "User-Agent": "facebookexternalua",
            "Accept": "*/*",
        ]
        switch await client.execute(method: .POST, path: path, headers: headers, body: body, timeout: ackTimeout, key: user) {
        case .success(let response): return .status(response.status)
        case .failure(.connect): return .failed(.connect)
        case .failure(.timeout): return .failed(.timeout)
        case .failure(.io): return .failed(.io)
        }
    }
}
