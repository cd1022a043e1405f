import Wire
import LoadgenHTTP
import Synchronization

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

final class SessionStore: Sendable {
    private struct Entry { var session: Session; var touched: ContinuousClock.Instant }
    private struct State { var entries: [String: Entry] = [:]; var lastPrune = ContinuousClock.now }
    private let ttl: Duration
    private let state = Mutex(State())

    init(ttl: Duration) { self.ttl = ttl }

    /// The user's live session, or nil if none or expired.
    func load(_ user: String, now: ContinuousClock.Instant = .now) -> Session? {
        state.withLock { s in
            guard let e = s.entries[user], now - e.touched <= ttl else { return nil }
            return e.session
        }
    }

    /// Saves (or with nil, clears) the user's session.
    func save(_ user: String, _ session: Session?, now: ContinuousClock.Instant = .now) {
        state.withLock { s in
            if now - s.lastPrune > ttl {
                s.entries = s.entries.filter { now - $0.value.touched <= ttl }
                s.lastPrune = now
            }
            s.entries[user] = session.map { Entry(session: $0, touched: now) }
        }
    }

    var count: Int { state.withLock { $0.entries.count } }
}
