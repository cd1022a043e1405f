import LoadgenCore
import Synchronization

/// Records what reached a stand-in Graph API and lets a test wait for the n-th send, instead of sleeping.
///
/// Shared on purpose: owned by one test; the stand-in's synchronous send hook records, the test waits.
public final class SendLog: Sendable {
    private struct State {
        var sends: [GraphSend] = []
        var waiters: [(count: Int, continuation: CheckedContinuation<[GraphSend], Never>)] = []
    }
    private let state = Mutex(State())

    public init() {}

    /// Records one send and wakes the tests waiting for this many.
    public func record(_ send: GraphSend) {
        let ready = state.withLock { s -> [(CheckedContinuation<[GraphSend], Never>, [GraphSend])] in
            s.sends.append(send)
            let (done, waiting) = (s.waiters.filter { $0.count <= s.sends.count }, s.waiters.filter { $0.count > s.sends.count })
            s.waiters = waiting
            return done.map { ($0.continuation, s.sends) }
        }
        for (c, sends) in ready { c.resume(returning: sends) }
    }

    /// Returns once at least `count` sends were recorded (use with a test time limit).
    public func waitFor(_ count: Int) async -> [GraphSend] {
        await withCheckedContinuation { c in
            let now: [GraphSend]? = state.withLock { s in
                if s.sends.count >= count { return s.sends }
                s.waiters.append((count, c))
                return nil
            }
            if let now { c.resume(returning: now) }
        }
    }

    /// Everything recorded so far.
    public var sends: [GraphSend] { state.withLock { $0.sends } }

    /// The message sends (not read receipts), as replies.
    public var replies: [(to: String?, reply: BotReply)] {
        sends.compactMap { s in
            if case .message(let r) = s.kind { return (s.to, r) }
            return nil
        }
    }
}
