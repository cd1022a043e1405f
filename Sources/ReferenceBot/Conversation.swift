import Wire
import Foundation
import LoadgenHTTP

/// What the bot sends back: the Graph API message types EasyMO uses.
enum OutboundMessage: Sendable, Hashable {
    case text(String)
    /// Up to 3 reply buttons (id, title ≤ 20 chars).
    case buttons(body: String, [(id: String, title: String)])
    /// A list: body, the button label, rows (id, title ≤ 24, description ≤ 72).
    case list(header: String, body: String, button: String, rows: [Listing])

    static func == (a: OutboundMessage, b: OutboundMessage) -> Bool { a.hashKey == b.hashKey }
    func hash(into h: inout Hasher) { h.combine(hashKey) }
    private var hashKey: String {
        switch self {
        case .text(let t): "t:" + t
        case .buttons(let body, let b): "b:" + body + b.map { $0.id }.joined(separator: ",")
        case .list(let header, let body, _, let rows): "l:" + header + body + rows.map(\.id).joined(separator: ",")
        }
    }
}

/// The bot's conversation logic: routes each message (menu keywords, intent, button and list ids,
/// locations) to an agent and decides the reply, keeping per-user state in its memory.
struct Conversation: Sendable {
    let memory: ConversationMemory
    /// The bot's upstreams; nil = the catalogue in process (no LLM, no payments to fail).
    var upstreams: UpstreamClient? = nil
    /// A deliberately broken fallback (test switch `--defect`).
    var defect: BotDefect? = nil
    /// Sends an order notification to a vendor's WhatsApp (phone, text, correlation); true when delivered.
    var notifyVendor: (@Sendable (String, String, String) async -> Bool)? = nil
    let catalogue = Catalogue()
    let classifier = IntentClassifier()

    /// EasyMO's SESSION_NOT_FOUND wording (reference/easymo.md §1.2, pattern 3).
    static let sessionExpired: [OutboundMessage] = [
        .text("⏳ Your session expired or couldn't be found (sessions expire after 10 minutes). Please start a new search. 🔍"),
    ]

    /// What the bot says when the user deletes a message: it is gone, so ask for it again if it mattered.
    static let revokedAcknowledgement = OutboundMessage.text(
        "🗑️ You deleted a message. If you still need something from it, please send it again, or type MENU.")

    /// The replies to `message`, in order.
    func respond(to message: UserMessage) async -> [OutboundMessage] {
        let replies = await answer(message)
        // The session store upstream mirrors where the conversation is, as EasyMO keeps it in Supabase.
        if let upstreams, let s = memory.load(message.userKey), s.step != .idle {
            await upstreams.saveSession(message.userKey, agent: s.agent?.rawValue ?? s.role?.rawValue ?? "", step: "\(s.step)",
                                        correlation: message.wamid)
        }
        return replies
    }

    private func answer(_ message: UserMessage) async -> [OutboundMessage] {
        let correlation = message.wamid
        let user = message.userKey
        let session = memory.load(user)
        if let staffReply = staff(message.content, user: user, session: session) { return staffReply }
        switch message.content {
        case .text(let raw):
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            let lower = text.lowercased()
            if ["menu", "home", "hi", "hello", "hey", "start", "hola", "bonjour"].contains(lower) {
                memory.save(user, nil)
                return [homeMenu(name: message.name)]
            }
            if ["stop", "unsubscribe"].contains(lower) {
                memory.save(user, nil)
                return [.text("You have been opted out. Reply START to opt back in.")]
            }
            if !lower.contains(where: { $0.isLetter || $0.isNumber }) {
                return defect == .ignoresBadInput ? [] : [clarify()]  // pattern 4: a clarifying question with an example
            }
            return await start(classifier.classify(text).agent, query: text, user: user, previous: session, correlation: correlation,
                               name: message.name)
        case .choice(let id, _):
            return await choose(id, user: user, session: session, name: message.name, correlation: correlation)
        case .location:
            if var s = session, s.agent == .rides, s.step == .awaitingLocation {
                return await offer(.rides, query: "", user: user, session: &s, correlation: correlation)
            }
            var s = Session(agent: .farmer)
            // One message, not two bubbles: "got it" and the results travel together.
            return (await offer(.farmer, query: "vegetable", user: user, session: &s, correlation: correlation)).map { reply in
                guard case .list(let header, let body, let button, let rows) = reply else { return reply }
                return .list(header: header, body: "📍 Got your location. " + body, button: button, rows: rows)
            }
        case .revoked:
            return [Self.revokedAcknowledgement]
        case .unsupported(let type):
            if defect == .ignoresBadInput { return [] }
            return [.text("🤔 Sorry, I can't read \(type) messages yet. Please send text, for example \"I need vegetables\", or type MENU.")]
        }
    }

    private func homeMenu(name: String) -> OutboundMessage {
        let rows = [
            Listing(id: "svc_rides", title: "🚖 Rides", detail: "Find a moto or car near you", priceRWF: 0, tags: []),
            Listing(id: "svc_farmer", title: "🥬 Farmers market", detail: "Fresh produce from local vendors", priceRWF: 0, tags: []),
            Listing(id: "svc_waiter", title: "🍽️ Restaurants", detail: "Order food", priceRWF: 0, tags: []),
            Listing(id: "svc_jobs", title: "💼 Jobs", detail: "Find work near you", priceRWF: 0, tags: []),
            Listing(id: "svc_real_estate", title: "🏠 Property", detail: "Houses and apartments to rent", priceRWF: 0, tags: []),
            Listing(id: "svc_insurance", title: "🛡️ Motor insurance", detail: "Get covered today", priceRWF: 0, tags: []),
            Listing(id: "svc_buy_sell", title: "🛍️ Buy & sell", detail: "Marketplace", priceRWF: 0, tags: []),
            Listing(id: "svc_support", title: "🙋 Support", detail: "Talk to us", priceRWF: 0, tags: []),
        ]
        return .list(header: "EasyMO", body: "Hi \(name)! 👋 What would you like to do today?", button: "Services", rows: rows)
    }

    private func clarify() -> OutboundMessage {
        .text("🤔 I didn't get that. Tell me what you need, for example \"I need vegetables near me\", or type MENU.")
    }

    private func start(
        _ agent: Agent, query: String, user: String, previous: Session?, correlation: String, name: String
    ) async -> [OutboundMessage] {
        // Pattern 1: the agent's backend is down or switched off → the traditional menu.
        if agent != .support, let upstreams {
            do { try await upstreams.agent(agent.rawValue, correlation: correlation) } catch {
                if defect == .agentErrorLeaks { return [.text("Error: agent backend returned HTTP 503")] }
                // One message: the apology and the traditional menu together.
                guard case .list(let header, _, let button, let rows) = homeMenu(name: name) else { return [] }
                return [.list(header: header, body: "This service is currently not available. Please try again later or choose from the menu:",
                              button: button, rows: rows)]
            }
        }
        var session = Session(agent: agent, orders: previous?.orders ?? 0)
        switch agent {
        case .rides:
            session.step = .awaitingLocation
            memory.save(user, session)
            return [.text("📍 Please share your pickup location so I can find drivers near you (for example with 📎 → Location).")]
        case .insurance:
            session.step = .choosing
            let covers = catalogue.search(.insurance, query: query)
            session.offered = covers.map(\.id)
            memory.save(user, session)
            return [.buttons(body: "🛡️ Motor insurance: which cover do you need?",
                             covers.prefix(2).map { ($0.id, $0.title) } + [("back_home", "🏠 Home")])]
        case .support:
            memory.save(user, session)
            return [.buttons(body: "👋 I'm the EasyMO assistant. How can I help?",
                             [("svc_menu", "🧭 Services"), ("support_agent", "🙋 Talk to a person"), ("faq", "❓ FAQ")])]
        case .farmer, .waiter, .jobs, .realEstate, .buySell:
            return await offer(agent, query: query, user: user, session: &session, correlation: correlation)
        }
    }

    private func offer(
        _ agent: Agent, query: String, user: String, session: inout Session, correlation: String
    ) async -> [OutboundMessage] {
        guard let found = await search(agent, query: query, correlation: correlation) else { return [] }  // a defect's silence
        session.agent = agent
        session.step = .choosing
        session.offered = found.rows.map(\.id)
        memory.save(user, session)
        guard !found.rows.isEmpty else { return [.text(found.body)] }
        return [.list(header: found.header, body: found.body, button: found.button, rows: found.rows)]
    }

    private func choose(_ id: String, user: String, session: Session?, name: String, correlation: String) async -> [OutboundMessage] {
        if id == "back_home" || id == "svc_menu" {
            memory.save(user, nil)
            return [homeMenu(name: name)]
        }
        if id.hasPrefix("svc_"), let agent = Agent(rawValue: String(id.dropFirst(4))) {
            return await start(agent, query: "", user: user, previous: session, correlation: correlation, name: name)
        }
        if id == "support_agent" || id == "faq" {
            memory.save(user, session.map { var s = $0; s.step = .idle; return s })
            return [.text(id == "faq"
                ? "❓ FAQ: orders are paid by wallet or MoMo; drivers arrive in minutes; type MENU for all services."
                : "🙋 A support agent will message you here shortly. Ticket #\(user.utf8.reduce(7) { ($0 &* 31 &+ Int($1)) % 100_000 }).")]
        }
        // Pattern 3: a tap that continues a conversation needs its session; a store that lost it means
        // starting again, said plainly.
        if let upstreams, session != nil {
            let exists = (try? await upstreams.sessionExists(user, correlation: correlation)) ?? false
            if !exists {
                memory.save(user, nil)
                if defect == .lostSessionCrashes { return [.text("TypeError: Cannot read properties of undefined (reading 'offered')")] }
                return Self.sessionExpired
            }
        }
        guard var s = session, s.offered.contains(id) || id.hasPrefix("pay_") || id == "viewing_yes" else {
            return Self.sessionExpired
        }
        if id == "viewing_yes", let item = s.selected {
            s.step = .idle
            memory.save(user, s)
            return [.text("📅 Viewing booked for \(item.title) (\(item.detail)). The landlord will confirm the time.")]
        }
        if id.hasPrefix("pay_") {
            guard let item = s.selected else { return Self.sessionExpired }
            return await pay(for: item, by: id, user: user, session: s, correlation: correlation)
        }
        guard let (category, item) = catalogue.listing(id: id) else { return [clarify()] }
        s.selected = item
        s.step = .confirming
        memory.save(user, s)
        return [Self.offer(item, in: category)]
    }

    /// Pays for `item` (`pay_wallet` or `pay_momo`), places the order and notifies the vendor, with
    /// patterns 7 (the gateway fails: another method) and 9 (the vendor cannot be told: alternatives).
    private func pay(for item: Listing, by method: String, user: String, session: Session, correlation: String) async -> [OutboundMessage] {
        if let upstreams {
            do { try await upstreams.pay(amount: item.priceRWF, correlation: correlation) } catch {
                if defect == .paymentErrorLeaks { return [.text("Error: MoMo gateway responded 502")] }
                let other = method == "pay_momo" ? ("pay_wallet", "💳 Wallet") : ("pay_momo", "📱 MoMo")
                return [.buttons(body: "💳 Payment processing unavailable. Please try another method.", [other, ("back_home", "🏠 Home")])]
            }
        }
        var s = session
        s.orders += 1
        s.step = .idle
        s.selected = nil
        memory.save(user, s)
        let number = memory.board { $0.place(buyer: user, item: item) }
        let confirmed = "✅ Paid \(item.priceRWF) RWF by \(method == "pay_momo" ? "MoMo" : "wallet"). Order #\(number) with \(item.title) is confirmed."
        if let notifyVendor,
           await !notifyVendor(item.vendorPhone, "🧾 New order #\(number): \(item.title), \(item.priceRWF) RWF.", correlation) {
            if defect == .vendorErrorLeaks { return [.text("Error: vendor notification failed (#131056)")] }
            let category = catalogue.listing(id: item.id)?.0 ?? .farmer
            let others = catalogue.search(category, query: "").filter { $0.id != item.id }.prefix(2).map(\.title)
            return [.text(confirmed + " ⚠️ \(item.title) can't be reached right now, so we've shared your order with the nearest alternatives: "
                + others.joined(separator: ", ") + ". Reply TRACK to follow it.")]
        }
        return [.text(confirmed + " Reply TRACK to follow it.")]
    }

    /// What the bot says when the user picks `item`: the ride, the application, a viewing, or payment.
    private static func offer(_ item: Listing, in category: ListingCategory) -> OutboundMessage {
        switch category {
        case .rides:
            .text("🚖 \(item.title) is on the way (\(item.detail)). Fare about \(item.priceRWF) RWF.")
        case .jobs:
            .text("📄 Application sent for \(item.title). The employer will contact you on WhatsApp.")
        case .realEstate:
            .buttons(body: "🏠 \(item.title), \(item.detail). Book a viewing?", [("viewing_yes", "📅 Book viewing"), ("back_home", "🏠 Home")])
        default:
            .buttons(body: "🧾 \(item.title): \(item.priceRWF) RWF. How would you like to pay?",
                     [("pay_wallet", "💳 Wallet"), ("pay_momo", "📱 MoMo"), ("back_home", "🏠 Home")])
        }
    }
}