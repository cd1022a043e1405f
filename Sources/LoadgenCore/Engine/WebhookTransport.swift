/// Delivers signed webhook bodies to the target. The HTTP edge implements it; tests script it.
public protocol WebhookTransport: Sendable {
    /// POSTs `body` with `X-Hub-Signature-256: signature`. Never throws: failures are results,
    /// counted as samples like any other.
    func deliver(body: [UInt8], signature: String, user: Int) async -> DeliveryResult
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
