import LoadgenCore
import LoadgenHTTP
import NIOCore
import NIOHTTP1

/// The stand-in Graph API: answers a bot's `POST /v{N}.{M}/{phone-number-id}/messages` like Meta and
/// hands every accepted send, with the instant its request arrived, to `onSend` (the reply correlator);
/// every refused one is told to `onRefused`, so a bot whose sends are broken is seen as such.
///
/// Auth is `Authorization: Bearer …` (or `?access_token=`); with an expected token configured, any
/// other is refused with Meta's 401/190 envelope. A wrong phone-number id gets 400/100 (subcode 33),
/// a malformed body 400 with 100/131008. Mark-as-read and typing indicators get `{"success":true}`.
/// Media requests (`GET /{media-id}`, its download, uploads, deletes) are answered by `media(_:)`.
/// With `checks`, template sends meet the business's templates and every message Meta's limits
/// (`GraphAPIStandIn+Checks`): refused on the spot, or accepted and failed later.
public struct GraphAPIStandIn: HTTPResponder {
    let phoneNumberID: String
    let accessToken: Secret?
    private let onSend: @Sendable (GraphSend, ServerRequest) -> Void
    private let onRefused: @Sendable () -> Void
    private let injector: FaultInjector?
    let checks: Checks

    /// A stand-in for `phoneNumberID`. `accessToken` nil accepts any non-empty Bearer token; `checks`
    /// hold sends to the business's templates and Meta's limits.
    public init(
        phoneNumberID: String, accessToken: Secret?, injector: FaultInjector? = nil, checks: Checks = Checks(),
        onRefused: @escaping @Sendable () -> Void = {}, onSend: @escaping @Sendable (GraphSend, ContinuousClock.Instant) -> Void
    ) {
        self.init(phoneNumberID, accessToken, injector, checks, onRefused) { send, request in onSend(send, request.receivedAt) }
    }

    /// A stand-in that hands each accepted send over with the request it came in (its instant, its bytes
    /// as the bot wrote them, its headers): `loadgen hub` forwards the bot's own bytes to their shard.
    public static func handing(
        phoneNumberID: String, accessToken: Secret?, injector: FaultInjector? = nil, checks: Checks = Checks(),
        onRefused: @escaping @Sendable () -> Void = {}, to onSend: @escaping @Sendable (GraphSend, ServerRequest) -> Void
    ) -> GraphAPIStandIn {
        GraphAPIStandIn(phoneNumberID, accessToken, injector, checks, onRefused, onSend)
    }

    private init(
        _ phoneNumberID: String, _ accessToken: Secret?, _ injector: FaultInjector?, _ checks: Checks, _ onRefused: @escaping @Sendable () -> Void,
        _ onSend: @escaping @Sendable (GraphSend, ServerRequest) -> Void
    ) {
        self.onRefused = onRefused
        self.injector = injector
        self.checks = checks
        self.phoneNumberID = phoneNumberID
        self.accessToken = accessToken
        self.onSend = onSend
    }

    public func respond(to request: ServerRequest) async -> ServerResponse {
        if let answer = media(request) { return answer }
        var send: GraphSend
        switch accept(request) {
        case .success(let accepted): send = accepted
        case .failure(let refusal):
            onRefused()
            return refusal.response
        }
        guard case .message(var reply) = send.kind else {
            onSend(send, request)
            return .json(.ok, Array(#"{"success":true}"#.utf8))
        }
        let recipient = send.toDigits ?? ""
        // Pattern 9: an order notification to a vendor fails like Meta fails a send.
        if VendorNumbers.contains(recipient),
           let (_, fault) = injector?.fault(at: .vendorNotify, correlationID: request.headers.first(name: "X-Correlation-ID")),
           let failed = await Self.failedSend(fault) {
            return failed
        }
        var failure: GraphError?
        switch await screen(send, at: request.receivedAt) {
        case .deliver: break
        case .refuse(let error, let malformed):
            if malformed { onRefused() }
            return Self.error(error)
        case .failLater(let error): failure = error
        }
        let wamid = Wamid.outbound(phone: recipient.isEmpty ? (send.recipient ?? "0") : recipient, sequence: UInt64.random(in: 1 ... .max))
        reply.messageID = wamid
        send.kind = .message(reply)
        // A message Meta fails later never reaches the user: it answers no turn, and its only status is `failed`.
        if let failure { checks.onFailedLater(send, failure) } else { onSend(send, request) }
        return .json(.ok, Self.accepted(send, wamid: wamid))
    }

    /// A request Meta would refuse, and its error envelope.
    struct Refusal: Error {
        var response: ServerResponse
    }

    /// The send in `request`, or Meta's refusal: unknown path, wrong method, bad token, another phone
    /// number id, a body that is not a valid send.
    func accept(_ request: ServerRequest) -> Result<GraphSend, Refusal> {
        let parts = request.path.split(separator: "/")
        // Accept /vNN.N/{id}/messages and, leniently, /{id}/messages.
        let versioned = parts.count == 3 && Self.isVersion(parts[0])
        guard versioned || parts.count == 2, parts.last == "messages" else {
            return .failure(Refusal(response: Self.error(.notFound, code: 100, message: "Unknown path components: /\(parts.joined(separator: "/"))",
                                                         details: "Use POST /{version}/{phone-number-id}/messages.")))
        }
        guard request.method == .POST else {
            return .failure(Refusal(response: Self.error(.methodNotAllowed, code: 100, message: "Unsupported \(request.method) request.",
                                                         details: "Only POST is supported on /messages.")))
        }
        if let refusal = unauthorized(request) { return .failure(Refusal(response: refusal)) }
        let id = parts[parts.count - 2]
        guard id == phoneNumberID else {
            return .failure(Refusal(response: Self.error(
                .badRequest, code: 100, subcode: 33,
                message: "Unsupported post request. Object with ID '\(id)' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
                details: "Unknown phone number id \(id).")))
        }
        do { return .success(try GraphSend.parse(request.body)) } catch {
            return .failure(Refusal(response: Self.error(.badRequest, code: error.code,
                                                         message: error.code == 100 ? "Invalid parameter" : "Parameter value is not valid",
                                                         details: error.details)))
        }
    }

    /// A vendor notification failing as `fault` says, as Meta fails a send (nil: it goes through, late).
    static func failedSend(_ fault: FaultShape) async -> ServerResponse? {
        switch fault {
        case .reset, .stall: return .dropConnection
        case .delay(let d):
            await LoopTimers.shared.sleep(for: d)
            return nil
        case .status(let code):
            return error(HTTPResponseStatus(statusCode: code), code: 131000, message: "Something went wrong",
                         details: "Message failed to send due to an unknown error.")
        default:
            return error(.tooManyRequests, code: 131056, message: "(Business Account, Consumer Account) pair rate limit hit",
                         details: "Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.")
        }
    }

    /// Meta's success envelope for an accepted send.
    static func accepted(_ send: GraphSend, wamid: String) -> [UInt8] {
        var w = JSONWriter(capacity: 256)
        w.object { w in
            w.field("messaging_product", string: "whatsapp")
            w.field("contacts") { w in
                w.array { w in
                    w.object { w in
                        if let to = send.to, !to.isEmpty {
                            w.field("input", string: to)
                            w.field("wa_id", string: send.toDigits ?? "")
                        } else if let r = send.recipient {
                            w.field("input", string: r)
                            w.field("user_id", string: r)
                        }
                    }
                }
            }
            w.field("messages") { w in w.array { w in w.object { w in w.field("id", string: wamid) } } }
        }
        return w.bytes
    }

    static func isVersion(_ s: Substring) -> Bool {
        guard s.first == "v" else { return false }
        let rest = s.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        return rest.count == 2 && rest.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }

    static func bearer(_ request: ServerRequest) -> String? {
        if let auth = request.headers.first(name: "Authorization") {
            let parts = auth.split(separator: " ", maxSplits: 1)
            return parts.count == 2 && parts[0].lowercased() == "bearer" ? String(parts[1]) : nil
        }
        return request.query["access_token"]
    }

    /// Meta's error envelope.
    public static func error(
        _ status: HTTPResponseStatus, code: Int, subcode: Int? = nil, message: String, details: String
    ) -> ServerResponse {
        var w = JSONWriter(capacity: 256)
        w.object { w in
            w.field("error") { w in
                w.object { w in
                    w.field("message", string: "(#\(code)) \(message)")
                    w.field("type", string: "OAuthException")
                    w.field("code") { $0.rawNumber(String(code)) }
                    if let subcode { w.field("error_subcode") { $0.rawNumber(String(subcode)) } }
                    w.field("error_data") { w in
                        w.object { w in
                            w.field("messaging_product", string: "whatsapp")
                            w.field("details", string: details)
                        }
                    }
                    w.field("fbtrace_id", string: "A" + String(UInt64.random(in: 1 << 60 ..< UInt64.max), radix: 36))
                }
            }
        }
        return .json(status, w.bytes)
    }
}
