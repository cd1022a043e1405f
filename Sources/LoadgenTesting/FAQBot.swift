import LoadgenCore
import LoadgenHTTP
import NIOCore
import NIOHTTP1

/// A small bot that is not EasyMO: a shop's FAQ. It answers opening-hours and price questions, shows a
/// topics menu for "menu", and meets anything else — garbage, an unsupported message type — with "Try
/// asking about our hours or prices." With `menuOnly` it is a broken bot that answers everything with
/// the menu. A webhook like any bot's: Meta's handshake, the signature check (401), 200 for every
/// signed delivery, the reply sent to the Graph API after the ack; `GET /health` says `ok`.
public final class FAQBot: HTTPResponder {
    private let signer: WebhookSigner
    private let verifyToken: String
    private let menuOnly: Bool
    private let graph: HTTPClient
    private let messagesPath: String
    private let jobs: AsyncStream<[UInt8]>
    private let sink: AsyncStream<[UInt8]>.Continuation

    /// What it says: the words its scenario's expectations name.
    public static let hours = "We are open 9:00–17:00, Monday to Friday."
    public static let prices = "Delivery costs 1,000 RWF anywhere in Kigali."
    public static let topics = "Topics: ask about our hours or our prices."
    public static let tryAsking = "Sorry, I did not understand. Try asking about our hours or prices."

    /// A bot replying through `graphBase` (`http://host:port/v20.0`) as `phoneNumberID`.
    public init(appSecret: Secret, verifyToken: String, graphBase: TargetURL, phoneNumberID: String = BusinessIdentity.default.phoneNumberID,
                menuOnly: Bool = false) throws {
        signer = WebhookSigner(appSecret: appSecret)
        self.verifyToken = verifyToken
        self.menuOnly = menuOnly
        graph = try HTTPClient(origin: graphBase.origin, maxConnections: 8)
        messagesPath = graphBase.pathAndQuery + "/" + phoneNumberID + "/messages"
        (jobs, sink) = AsyncStream.makeStream(of: [UInt8].self)
    }

    public func respond(to request: ServerRequest) async -> ServerResponse {
        if request.method == .GET, request.path == "/health" { return .json(.ok, Array(#"{"status":"ok"}"#.utf8)) }
        if request.method == .GET {
            let q = request.query
            guard q["hub.mode"] == "subscribe", q["hub.verify_token"] == verifyToken, let challenge = q["hub.challenge"] else {
                return .text(.forbidden, "forbidden")
            }
            return .text(.ok, challenge)
        }
        guard signer.isValid(signatureHeader: request.headers.first(name: "X-Hub-Signature-256"), body: request.body) else {
            return .text(.unauthorized, "bad signature")
        }
        guard let root = try? JSONValue.parse(request.body) else { return .text(.badRequest, "bad json") }
        for message in Self.messages(in: root) {
            guard let from = try? message.string("from") else { continue }
            let text = try? message.object("text")?.string("body")
            sink.yield(reply(to: text, for: from))
        }
        return .text(.ok, "ok")
    }

    /// Sends the replies until cancelled.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await withTaskCancellationHandler { await StopSignal().wait() } onCancel: { self.sink.finish() } }
            for await body in jobs {
                group.addTask {
                    _ = await self.graph.execute(method: .POST, path: self.messagesPath,
                                                 headers: ["Content-Type": "application/json", "Authorization": "Bearer t"],
                                                 body: body, timeout: .seconds(5), key: body.count)
                }
            }
        }
        graph.shutdown()
    }

    private static func messages(in root: JSONValue) -> [JSONValue] {
        ((try? root.array("entry")) ?? []).flatMap { entry in
            ((try? entry.array("changes")) ?? []).flatMap { change in
                (try? change.object("value")?.array("messages")) ?? []
            }
        }
    }

    private func reply(to text: String?, for user: String) -> [UInt8] {
        let lower = text?.lowercased() ?? ""
        var w = JSONWriter()
        w.object { w in
            w.field("messaging_product", string: "whatsapp")
            w.field("to", string: user)
            if menuOnly || lower == "menu" {
                w.field("type", string: "interactive")
                w.field("interactive") { w in
                    w.object { w in
                        w.field("type", string: "button")
                        w.field("body") { w in w.object { $0.field("text", string: Self.topics) } }
                        w.field("action") { w in
                            w.object { w in
                                w.field("buttons") { w in
                                    w.array { w in
                                        for (id, title) in [("hours", "Opening hours"), ("prices", "Prices")] {
                                            w.object { w in
                                                w.field("type", string: "reply")
                                                w.field("reply") { w in w.object { w in w.field("id", string: id); w.field("title", string: title) } }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            } else {
                let answer = lower.contains("hour") || lower.contains("open") ? Self.hours
                    : lower.contains("price") || lower.contains("cost") ? Self.prices : Self.tryAsking
                w.field("type", string: "text")
                w.field("text") { w in w.object { $0.field("body", string: answer) } }
            }
        }
        return w.bytes
    }
}
