import Wire
import LoadgenHTTP
import Foundation

/// The staff journeys of EasyMO v2.0 (reference/easymo.md §4.1): stations accept → prepare → complete
/// orders, drivers accept → navigate → confirm deliveries, vendors update their menu's availability, and
/// admins read today's stats. Orders come from buyers' payments, through the shared `OrderBoard`.
extension Conversation {
    /// Replies to a staff keyword, a staff button or list id, or a vendor's "mark X as sold out";
    /// nil when the message is none of those.
    func staff(_ content: UserMessage.Content, user: String, session: Session?) -> [OutboundMessage]? {
        switch content {
        case .text(let raw):
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            if let role = Role(rawValue: text) { return enter(role, user: user, session: session) }
            if text == "track" { return track(user) }
            if text == "stats", session?.role == .admin { return [stats()] }
            if let (item, soldOut) = Self.availabilityCommand(text) { return setAvailability(item, soldOut: soldOut, user: user, session: session) }
            return nil
        case .choice(let id, _):
            return staffChoice(id, user: user, session: session)
        default:
            return nil
        }
    }

    private func enter(_ role: Role, user: String, session: Session?) -> [OutboundMessage] {
        var s = session ?? Session()
        s.role = role
        s.agent = nil
        s.step = .idle
        memory.save(user, s)
        switch role {
        case .station: return [pendingOrders()]
        case .driver: return [deliveries()]
        case .vendor:
            return [.buttons(body: "🏪 Vendor tools. What do you want to do?",
                             [("vendor_menu", "📋 My menu"), ("vendor_orders", "🧾 View orders"), ("back_home", "🏠 Home")])]
        case .admin:
            return [.buttons(body: "🛠️ Admin hub.", [("admin_stats", "📊 Today's stats"), ("back_home", "🏠 Home")])]
        }
    }

    private func pendingOrders() -> OutboundMessage {
        let orders = memory.board { $0.list(.paid) }
        guard !orders.isEmpty else { return .text("📭 No pending orders right now. We'll message you when one arrives.") }
        return .list(header: "Orders", body: "🧾 \(orders.count) pending orders. Pick one to accept:", button: "View orders",
                     rows: orders.map { Listing(id: "order_\($0.id)", title: "Order #\($0.id)", detail: "\($0.item.title) · \($0.item.priceRWF) RWF", priceRWF: $0.item.priceRWF, tags: []) })
    }

    private func deliveries() -> OutboundMessage {
        let orders = memory.board { $0.list(.ready) }
        guard !orders.isEmpty else { return .text("📭 No deliveries waiting right now. We'll message you when one is ready.") }
        return .list(header: "Deliveries", body: "🛵 \(orders.count) deliveries ready for pickup. Pick one:", button: "View deliveries",
                     rows: orders.map { Listing(id: "delivery_\($0.id)", title: "Delivery #\($0.id)", detail: "\($0.item.title) from \($0.station ?? "station")", priceRWF: 0, tags: []) })
    }

    private func track(_ user: String) -> [OutboundMessage] {
        guard let order = memory.board({ $0.latest(of: user) }) else { return [.text("You have no orders yet. Type MENU to start shopping.")] }
        let status: String = switch order.status {
        case .paid: "paid, waiting for a station to accept it"
        case .accepted: "accepted, being prepared"
        case .ready: "ready, waiting for a driver"
        case .onTheWay: "on the way with your driver"
        case .delivered: "delivered"
        }
        return [.text("🚚 Order #\(order.id) (\(order.item.title)): \(status).")]
    }

    private func stats() -> OutboundMessage {
        let s = memory.board { $0.stats() }
        return .text("📊 Today: \(s.orders) orders, \(s.delivered) delivered, \(s.inProgress) in progress, revenue \(s.revenue) RWF.")
    }

    private func staffChoice(_ id: String, user: String, session: Session?) -> [OutboundMessage]? {
        let parts = id.split(separator: "_", maxSplits: 1).map(String.init)
        let number = parts.count == 2 ? Int(parts[1]) : nil
        switch (parts.first, number) {
        case ("order", let n?):
            guard let order = memory.board({ $0.order(n) }), order.status == .paid else { return [.text("⚠️ Order #\(n) was already taken by another station.")] }
            return [.buttons(body: "🧾 Order #\(n): \(order.item.title), \(order.item.priceRWF) RWF. Accept it?",
                             [("accept_\(n)", "✅ Accept"), ("back_home", "🏠 Home")])]
        case ("accept", let n?):
            guard memory.board({ $0.advance(n, from: .paid, to: .accepted, by: user, role: \.station) }) != nil else {
                return [.text("⚠️ Order #\(n) was already taken by another station.")]
            }
            return [.buttons(body: "👩‍🍳 Order #\(n) accepted. Tap when it is ready for pickup.", [("ready_\(n)", "📦 Ready")])]
        case ("ready", let n?):
            guard memory.board({ $0.advance(n, from: .accepted, to: .ready, by: user, role: \.station) }) != nil else {
                return [.text("⚠️ Order #\(n) is not yours to complete.")]
            }
            return [.text("📦 Order #\(n) is ready for pickup. Nearby drivers have been notified.")]
        case ("delivery", let n?):
            guard let order = memory.board({ $0.order(n) }), order.status == .ready else { return [.text("⚠️ Delivery #\(n) was already taken by another driver.")] }
            return [.buttons(body: "🛵 Delivery #\(n): \(order.item.title). Take it?", [("take_\(n)", "✅ Accept delivery"), ("back_home", "🏠 Home")])]
        case ("take", let n?):
            guard let order = memory.board({ $0.advance(n, from: .ready, to: .onTheWay, by: user, role: \.driver) }) else {
                return [.text("⚠️ Delivery #\(n) was already taken by another driver.")]
            }
            return [.buttons(body: "🧭 Navigate to \(order.station.map { "station \($0.suffix(4))" } ?? "the station"), then to the buyer. Tap when delivered.",
                             [("delivered_\(n)", "✅ Delivered")])]
        case ("delivered", let n?):
            guard memory.board({ $0.advance(n, from: .onTheWay, to: .delivered, by: user, role: \.driver) }) != nil else {
                return [.text("⚠️ Delivery #\(n) is not yours to confirm.")]
            }
            return [.text("✅ Delivery of order #\(n) confirmed. Thank you!")]
        default:
            break
        }
        switch id {
        case "vendor_menu":
            let items = Self.vendorItems
            return [.list(header: "My menu", body: "📋 Your items. Pick one to update:", button: "View items",
                          rows: items.map { name in
                              let out = session?.soldOut.contains(name) == true
                              return Listing(id: "item_\(name)", title: name.capitalized, detail: out ? "Sold out" : "Available", priceRWF: 0, tags: [])
                          })]
        case "vendor_orders":
            let s = memory.board { $0.stats() }
            return [.text("🧾 \(s.orders) orders today across EasyMO, \(s.inProgress) in progress.")]
        case "admin_stats":
            return [stats()]
        default:
            break
        }
        if id.hasPrefix("item_") {
            let item = String(id.dropFirst(5))
            return [.buttons(body: "\(item.capitalized): update availability?",
                             [("soldout_\(item)", "🚫 Sold out"), ("available_\(item)", "✅ Available")])]
        }
        if id.hasPrefix("soldout_") { return setAvailability(String(id.dropFirst(8)), soldOut: true, user: user, session: session) }
        if id.hasPrefix("available_") { return setAvailability(String(id.dropFirst(10)), soldOut: false, user: user, session: session) }
        return nil
    }

    static let vendorItems = ["tomatoes", "onions", "chicken", "beans", "avocados"]

    /// "mark chicken as sold out" / "mark beans as available".
    static func availabilityCommand(_ text: String) -> (String, Bool)? {
        guard text.hasPrefix("mark ") else { return nil }
        for (suffix, soldOut) in [(" as sold out", true), (" sold out", true), (" as available", false)] where text.hasSuffix(suffix) {
            let item = text.dropFirst(5).dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
            return item.isEmpty ? nil : (item, soldOut)
        }
        return nil
    }

    private func setAvailability(_ item: String, soldOut: Bool, user: String, session: Session?) -> [OutboundMessage] {
        var s = session ?? Session()
        s.role = .vendor
        if soldOut { s.soldOut.insert(item) } else { s.soldOut.remove(item) }
        memory.save(user, s)
        return [.text("✅ Updated! \(item.capitalized) is now marked as \(soldOut ? "sold out" : "available").")]
    }
}
