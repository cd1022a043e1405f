/// Delivers signed webhook bodies to the target. The HTTP edge implements it; tests script it.
public protocol WebhookTransport: Sendable {
    /// POSTs `body` with `X-Hub-Signature-256: signature`. Never throws: failures are results,
    /// counted as samples like any other.
    func deliver(body: [UInt8], signature: String, user: Int) async -> DeliveryResult

    /// Like `deliver`, and the `Retry-After` seconds when the target answered 429 with one (the
    /// rate-limit burst judges it). Transports that cannot see headers report nil.
    func deliverReportingRetryAfter(body: [UInt8], signature: String, user: Int) async -> (DeliveryResult, retryAfter: Int?)

    /// Like `deliver`, and what the transport saw of it (`Delivered`): what the target said when it did not
    /// ack with 200, and how long its answer waited in this process before the call returned. The engine
    /// posts every message of a turn through this one.
    func deliverExplaining(body: [UInt8], signature: String, user: Int) async -> Delivered
}

extension WebhookTransport {
    public func deliverReportingRetryAfter(body: [UInt8], signature: String, user: Int) async -> (DeliveryResult, retryAfter: Int?) {
        (await deliver(body: body, signature: signature, user: user), nil)
    }

    public func deliverExplaining(body: [UInt8], signature: String, user: Int) async -> Delivered {
        Delivered(await deliver(body: body, signature: signature, user: user))
    }
}

/// A delivery as the transport saw it: how it ended, what the target said, and how long its answer waited
/// on loadgen's side.
public struct Delivered: Sendable, Equatable {
    public var result: DeliveryResult
    /// What the target said when it did not ack with 200: the start of the response body, or why there was
    /// no answer, secrets redacted (the report's error samples). nil: it acked, or the transport cannot say.
    public var said: String?
    /// How long the answer had waited in this process, read off the wire and parsed, when the call
    /// returned: the time its task took to run again, loadgen's own delay and not the target's (tens of
    /// milliseconds when the process is short of CPU). The ack latency leaves it out, and the `generator`
    /// check judges it. nil: no answer, or a transport that cannot tell.
    public var waited: Duration?

    public init(_ result: DeliveryResult, said: String? = nil, waited: Duration? = nil) {
        self.result = result
        self.said = said
        self.waited = waited
    }
}

/// How a delivery ended.
public enum DeliveryResult: Sendable, Equatable {
    /// The target answered with this HTTP status.
    case status(Int)
    /// No HTTP answer.
    case failed(DeliveryFailure)
}

/// Why a delivery got no HTTP answer.
public enum DeliveryFailure: Sendable, Equatable {
    /// Could not connect.
    case connect
    /// No answer within the ack timeout.
    case timeout
    /// The connection broke, or the answer was not HTTP.
    case io

    /// The error class it counts as.
    public var errorClass: ErrorClass {
        switch self {
        case .connect: .connect
        case .timeout: .timeout
        case .io: .io
        }
    }
}
