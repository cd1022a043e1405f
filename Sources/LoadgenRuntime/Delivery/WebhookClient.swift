import LoadgenCore
import LoadgenHTTP
import NIOCore
import NIOHTTP1

/// Delivers signed webhook POSTs to the target, as Meta does: `Content-Type: application/json`,
/// `X-Hub-Signature-256`, `User-Agent: facebookexternalua`. Only an exactly-200 answer is an ack.
public struct WebhookClient: WebhookTransport {
    private let client: HTTPClient
    /// Meta's headers and the extra ones, encoded once; the signature is added per delivery.
    private let head: RequestHead
    private let ackTimeout: TimeAmount
    private let redactor: Redactor

    /// A transport posting to `target` over `client`; `extraHeaders` go on every delivery (a smoke
    /// test's tag, so the target can filter its traffic out). What a target says when it refuses a
    /// delivery is kept with `secrets` (and the extra headers' values) redacted.
    public init(client: HTTPClient, target: TargetURL, ackTimeout: Duration, extraHeaders: [String: String] = [:], secrets: [Secret] = []) {
        self.client = client
        let meta = [("Content-Type", "application/json"), ("User-Agent", "facebookexternalua"), ("Accept", "*/*")]
        head = client.head(.POST, target.pathAndQuery, headers: meta + extraHeaders.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        self.ackTimeout = TimeAmount(ackTimeout)
        redactor = Redactor(secrets: secrets.map(\.value) + extraHeaders.values)
    }

    /// The bytes of a refusal's body kept for the report, at most.
    static let saidBytes = 400

    public func deliverExplaining(body: [UInt8], signature: String, user: Int) async -> Delivered {
        switch await post(body: body, signature: signature, user: user) {
        case .success(let response) where response.status == 200:
            return Delivered(.status(200), waited: response.waited)
        case .success(let response):
            let text = String(decoding: response.body.prefix(Self.saidBytes), as: UTF8.self)
            return Delivered(.status(response.status), said: redactor.redact(text.isEmpty ? "(empty body)" : text), waited: response.waited)
        case .failure(let why):
            let said: String? = switch why {
            case .connect(let reason), .io(let reason): redactor.redact(reason)
            case .timeout: nil  // the class says it all
            }
            return Delivered(.failed(DeliveryFailure(why)), said: said)
        }
    }

    public func deliver(body: [UInt8], signature: String, user: Int) async -> DeliveryResult {
        await deliver(body: body, signature: Optional(signature), user: user)
    }

    /// A delivery with Meta's headers, or without a signature at all (nil): what a smoke test's
    /// signature check sends to see it refused.
    public func deliver(body: [UInt8], signature: String?, user: Int) async -> DeliveryResult {
        switch await post(body: body, signature: signature, user: user) {
        case .success(let response): .status(response.status)
        case .failure(let why): .failed(DeliveryFailure(why))
        }
    }

    public func deliverReportingRetryAfter(body: [UInt8], signature: String, user: Int) async -> (DeliveryResult, retryAfter: Int?) {
        switch await post(body: body, signature: signature, user: user) {
        case .success(let response):
            (.status(response.status), response.headers.first(name: "Retry-After").flatMap { Int($0.trimmingSpaces) })
        case .failure(let why): (.failed(DeliveryFailure(why)), nil)
        }
    }

    private func post(body: [UInt8], signature: String?, user: Int) async -> Result<ClientResponse, ClientFailure> {
        await client.execute(head, header: signature.map { ("X-Hub-Signature-256", $0) }, body: body, timeout: ackTimeout, key: user)
    }
}

extension ClientResponse {
    /// How long since the response was read and parsed (nil: not read by the client).
    var waited: Duration? { received.map { Duration(NIODeadline.now() - $0) } }
}

extension DeliveryFailure {
    init(_ failure: ClientFailure) {
        switch failure {
        case .connect: self = .connect
        case .timeout: self = .timeout
        case .io: self = .io
        }
    }
}
