import Wire
import LoadgenHTTP
import Synchronization

/// Orders shared by every user of the bot: what makes the buyer → station → driver handoff real.
/// A buyer's payment puts an order on the board; a station accepts and prepares it; a driver takes it
/// and delivers it; the buyer's TRACK reads its status. Every transition is checked under one lock, so
/// two stations (or drivers) racing for one order get one winner and one "already taken".
final class OrderBoard: Sendable {
    enum Status: String, Sendable { case paid, accepted, ready, onTheWay = "on the way", delivered }

    struct Order: Sendable {
        var id: Int
        var buyer: String
        var item: Listing
        var status: Status
        var station: String?
        var driver: String?
    }

    private struct State {
        var orders: [Int: Order] = [:]
        var nextID = 1
        var latestByBuyer: [String: Int] = [:]
        var revenue = 0
    }
    private let state = Mutex(State())
    /// Delivered orders are forgotten after this many more orders, so memory stays bounded.
    private let keep = 50_000

    /// Places a paid order; returns its number.
    func place(buyer: String, item: Listing) -> Int {
        state.withLock { s in
            let id = s.nextID
            s.nextID += 1
            s.orders[id] = Order(id: id, buyer: buyer, item: item, status: .paid)
            s.latestByBuyer[buyer] = id
            s.revenue += item.priceRWF
            if s.orders.count > keep, let old = s.orders.keys.min() { s.orders[old] = nil }
            return id
        }
    }

    /// The buyer's latest order.
    func latest(of buyer: String) -> Order? {
        state.withLock { s in s.latestByBuyer[buyer].flatMap { s.orders[$0] } }
    }

    /// Up to `limit` orders in `status`, oldest first.
    func list(_ status: Status, limit: Int = 10) -> [Order] {
        state.withLock { s in Array(s.orders.values.filter { $0.status == status }.sorted { $0.id < $1.id }.prefix(limit)) }
    }

    func order(_ id: Int) -> Order? { state.withLock { $0.orders[id] } }

    /// Moves order `id` from `from` to `to` for `actor`; nil when another actor got there first.
    func advance(_ id: Int, from: Status, to: Status, by actor: String, role: WritableKeyPath<Order, String?>) -> Order? {
        state.withLock { s in
            guard var order = s.orders[id], order.status == from else { return nil }
            if let owner = order[keyPath: role], owner != actor { return nil }
            order.status = to
            order[keyPath: role] = actor
            s.orders[id] = order
            return order
        }
    }

    /// Today's figures for the admin hub.
    func stats() -> (orders: Int, delivered: Int, inProgress: Int, revenue: Int) {
        state.withLock { s in
            let delivered = s.orders.values.filter { $0.status == .delivered }.count
            return (s.nextID - 1, delivered, s.orders.count - delivered, s.revenue)
        }
    }
}
