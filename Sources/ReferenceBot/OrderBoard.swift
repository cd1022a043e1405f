import Wire
import LoadgenHTTP

/// Orders shared by every user of the bot: what makes the buyer → station → driver handoff real.
/// A buyer's payment puts an order on the board; a station accepts and prepares it; a driver takes it
/// and delivers it; the buyer's TRACK reads its status. A value: `ConversationMemory` checks every
/// transition under its lock, so two stations (or drivers) racing for one order get one winner and one
/// "already taken".
struct OrderBoard: Sendable {
    enum Status: String, Sendable { case paid, accepted, ready, onTheWay = "on the way", delivered }

    struct Order: Sendable {
        var id: Int
        var buyer: String
        var item: Listing
        var status: Status
        var station: String?
        var driver: String?
    }

    private var orders: [Int: Order] = [:]
    private var nextID = 1
    private var latestByBuyer: [String: Int] = [:]
    private var revenue = 0
    /// Delivered orders are forgotten after this many more orders, so memory stays bounded.
    private let keep = 50_000

    /// Places a paid order; returns its number.
    mutating func place(buyer: String, item: Listing) -> Int {
        let id = nextID
        nextID += 1
        orders[id] = Order(id: id, buyer: buyer, item: item, status: .paid)
        latestByBuyer[buyer] = id
        revenue += item.priceRWF
        if orders.count > keep, let old = orders.keys.min() { orders[old] = nil }
        return id
    }

    /// The buyer's latest order.
    func latest(of buyer: String) -> Order? { latestByBuyer[buyer].flatMap { orders[$0] } }

    /// Up to `limit` orders in `status`, oldest first.
    func list(_ status: Status, limit: Int = 10) -> [Order] {
        Array(orders.values.filter { $0.status == status }.sorted { $0.id < $1.id }.prefix(limit))
    }

    func order(_ id: Int) -> Order? { orders[id] }

    /// Moves order `id` from `from` to `to` for `actor`; nil when another actor got there first.
    mutating func advance(_ id: Int, from: Status, to: Status, by actor: String, role: WritableKeyPath<Order, String?>) -> Order? {
        guard var order = orders[id], order.status == from else { return nil }
        if let owner = order[keyPath: role], owner != actor { return nil }
        order.status = to
        order[keyPath: role] = actor
        orders[id] = order
        return order
    }

    /// Today's figures for the admin hub.
    func stats() -> (orders: Int, delivered: Int, inProgress: Int, revenue: Int) {
        let delivered = orders.values.filter { $0.status == .delivered }.count
        return (nextID - 1, delivered, orders.count - delivered, revenue)
    }
}
