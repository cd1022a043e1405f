import Wire
import LoadgenHTTP
import NIOCore
import NIOHTTP1

/// Sends the bot's replies to the Graph API (`POST {base}/{phone-number-id}/messages`, Bearer auth),
/// retrying like EasyMO's WhatsApp client: on 408/425/429/500/502/503/504, `retries` times, waiting
/// `retryDelay × attempt`.
struct GraphSender: Sendable {
    let endpoint: Endpoint
    let path: String
    let headers: HTTPHeaders
    let retries: Int
    let retryDelay: Duration

    init(config: BotConfiguration, endpoint: Endpoint) {
        self.endpoint = endpoint
        let base = config.graphBaseURL.pathAndQuery.hasSuffix("/") ? String(config.graphBaseURL.pathAndQuery.dropLast())
            : config.graphBaseURL.pathAndQuery
        path = base + "/" + config.phoneNumberID + "/messages"
        headers = ["Content-Type": "application/json", "Authorization": "Bearer " + config.accessToken.value]
        retries = config.sendRetries
        retryDelay = config.sendRetryDelay
    }

    enum Outcome: Sendable { case sent, failed(status: Int?) }

    /// Notifies a vendor of an order (a text to the vendor's number), with the order's correlation id so a
    /// fault injected into the notification can be traced to the buyer's turn.
    func notify(phone: String, text: String, correlation: String) async -> Outcome {
        var w = JSONWriter(capacity: 256)
        w.object { w in
            w.field("messaging_product", string: "whatsapp")
            w.field("to", string: phone)
            w.field("type", string: "text")
            w.field("text") { w in w.object { w in w.field("body", string: text) } }
        }
        return await post(w.bytes, key: phone.utf8.count, extra: ["X-Correlation-ID": correlation])
    }

    /// Sends one message to the user; `key` keeps a user's sends on one connection shard.
    func send(_ message: OutboundMessage, to user: UserMessage, key: Int) async -> Outcome {
        await post(Self.render(message, to: user), key: key, extra: [:])
    }

    private func post(_ body: [UInt8], key: Int, extra: HTTPHeaders) async -> Outcome {
        var headers = headers
        headers.add(contentsOf: extra)
        var attempt = 0
        while true {
            let result = await endpoint.execute(.POST, path, headers: headers, body: body, timeout: .seconds(10), key: key)
            let status: Int? = if case .success(let r) = result { r.status } else { nil }
            if status == 200 { return .sent }
            let retryable = status.map { [408, 425, 429, 500, 502, 503, 504].contains($0) } ?? true
            guard retryable, attempt < retries else { return .failed(status: status) }
            attempt += 1
            await LoopTimers.shared.sleep(for: retryDelay * attempt)
        }
    }

    /// The Graph request body for `message`.
    static func render(_ message: OutboundMessage, to user: UserMessage) -> [UInt8] {
        var w = JSONWriter(capacity: 512)
        w.object { w in
            w.field("messaging_product", string: "whatsapp")
            w.field("recipient_type", string: "individual")
            if let phone = user.phone { w.field("to", string: phone) } else { w.field("recipient", string: user.bsuid ?? "") }
            switch message {
            case .text(let body):
                w.field("type", string: "text")
                w.field("text") { w in w.object { w in w.field("body", string: body) } }
            case .buttons(let body, let buttons):
                w.field("type", string: "interactive")
                w.field("interactive") { w in writeButtons(&w, body: body, buttons: buttons) }
            case .list(let header, let body, let button, let rows):
                w.field("type", string: "interactive")
                w.field("interactive") { w in writeList(&w, header: header, body: body, button: button, rows: rows) }
            }
        }
        return w.bytes
    }

    /// An interactive `button` message: the body and up to 3 reply buttons (titles ≤ 20 characters).
    private static func writeButtons(_ w: inout JSONWriter, body: String, buttons: [(id: String, title: String)]) {
        w.object { w in
            w.field("type", string: "button")
            w.field("body") { w in w.object { w in w.field("text", string: body) } }
            w.field("action") { w in
                w.object { w in
                    w.field("buttons") { w in
                        w.array { w in
                            for b in buttons.prefix(3) {
                                w.object { w in
                                    w.field("type", string: "reply")
                                    w.field("reply") { w in
                                        w.object { w in
                                            w.field("id", string: b.id)
                                            w.field("title", string: String(b.title.prefix(20)))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// An interactive `list` message: a text header, the body, the button label and one section of up to
    /// 10 rows (titles ≤ 24, descriptions ≤ 72 characters).
    private static func writeList(_ w: inout JSONWriter, header: String, body: String, button: String, rows: [Listing]) {
        w.object { w in
            w.field("type", string: "list")
            w.field("header") { w in
                w.object { w in
                    w.field("type", string: "text")
                    w.field("text", string: header)
                }
            }
            w.field("body") { w in w.object { w in w.field("text", string: body) } }
            w.field("action") { w in
                w.object { w in
                    w.field("button", string: String(button.prefix(20)))
                    w.field("sections") { w in
                        w.array { w in
                            w.object { w in
                                w.field("title", string: String(header.prefix(24)))
                                w.field("rows") { w in writeRows(&w, rows) }
                            }
                        }
                    }
                }
            }
        }
    }

    private static func writeRows(_ w: inout JSONWriter, _ rows: [Listing]) {
        w.array { w in
            for row in rows.prefix(10) {
                w.object { w in
                    w.field("id", string: row.id)
                    w.field("title", string: String(row.title.prefix(24)))
                    w.field("description", string: String(row.detail.prefix(72)))
                }
            }
        }
    }
}
