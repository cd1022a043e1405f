/// Delivers signed webhook bodies to the target. The HTTP edge implements it; tests script it.
public protocol WebhookTransport: Sendable {
    /// POSTs `body` with `X-Hub-Signature-256: signature`. Never throws: failures are results,
    /// counted as samples like any other.
    func deliver(body: [UInt8], signature: String, user: Int) async -> DeliveryResult

    /// Like `deliver`, and the `Retry-After` seconds when the target answered 429 with one (the
    /// rate-limit burst judges it). Transports that cannot see headers report nil.
    func deliverReportingRetryAfter(body: [UInt8], signature: String, user: Int) async -> (DeliveryResult, retryAfter: Int?)

    /// Like `deliver`, and what the target said when it did not ack with 200: the start of the response
    /// body, or why there was no answer, secrets redacted (the report's error samples). Transports that
    /// cannot say report nil.
    func deliverExplaining(body: [UInt8], signature: String, user: Int) async -> (DeliveryResult, said: String?)
}

extension WebhookTransport {
    public func deliverReportingRetryAfter(body: [UInt8], signature: String, user: Int) async -> (DeliveryResult, retryAfter: Int?) {
        (await deliver(body: body, signature: signature, user: user), nil)
    }

    public func deliverExplaining(body: [UInt8], signature: String, user: Int) async -> (DeliveryResult, said: String?) {
        (await deliver(body: body, signature: signature, user: user), nil)
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
