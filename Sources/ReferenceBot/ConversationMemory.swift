import Synchronization
import Wire

/// What the bot remembers between messages: every user's session and the shared order board, under one
/// lock.
///
/// Shared on purpose: owned by the bot's `Conversation`; its reply workers (each answering its own users)
/// read and write sessions, and every order transition — two stations racing for one order — is decided
/// here atomically.
final class ConversationMemory: Sendable {
    private let state: Mutex<(sessions: SessionStore, board: OrderBoard)>

    init(sessionTTL: Duration) { state = Mutex((SessionStore(ttl: sessionTTL), OrderBoard())) }

    /// The user's live session, or nil if none or expired.
    func load(_ user: String) -> Session? { state.withLock { $0.sessions.load(user) } }

    /// Saves (or with nil, clears) the user's session.
    func save(_ user: String, _ session: Session?) { state.withLock { $0.sessions.save(user, session) } }

    /// Reads or changes the order board atomically.
    func board<R>(_ body: (inout OrderBoard) -> R) -> R { state.withLock { body(&$0.board) } }
}
