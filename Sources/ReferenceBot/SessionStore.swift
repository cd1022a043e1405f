import Wire
import LoadgenHTTP

/// Per-user conversation state, expiring after a quiet period (EasyMO: 10 minutes).
struct Session: Sendable {
    enum Step: Sendable { case idle, awaitingLocation, choosing, confirming }
    var agent: Agent?
    var step: Step = .idle
    var offered: [String] = []
    var selected: Listing?
    var orders = 0
    /// Staff mode (station, driver, vendor, admin) entered with its keyword.
    var role: Role?
    /// A vendor's items marked sold out.
    var soldOut: Set<String> = []
}

/// The staff sides of EasyMO's marketplace, each entered with its keyword.
enum Role: String, Sendable, CaseIterable { case station, driver, vendor, admin }

/// Every user's session, each forgotten after `ttl` without a message. A value: `ConversationMemory`
/// keeps it under its lock.
struct SessionStore: Sendable {
    private struct Entry { var session: Session; var touched: ContinuousClock.Instant }
    private var entries: [String: Entry] = [:]
    private var lastPrune = ContinuousClock.now
    private let ttl: Duration

    init(ttl: Duration) { self.ttl = ttl }

    /// The user's live session, or nil if none or expired.
    func load(_ user: String, now: ContinuousClock.Instant = .now) -> Session? {
        guard let e = entries[user], now - e.touched <= ttl else { return nil }
        return e.session
    }

    /// Saves (or with nil, clears) the user's session.
    mutating func save(_ user: String, _ session: Session?, now: ContinuousClock.Instant = .now) {
        if now - lastPrune > ttl {
            entries = entries.filter { now - $0.value.touched <= ttl }
            lastPrune = now
        }
        entries[user] = session.map { Entry(session: $0, touched: now) }
    }

    var count: Int { entries.count }
}
