import Synchronization

/// Matches the bot's Graph API sends to the simulated users' open turns, closing each turn's reply latency.
///
/// A user opens a turn *before* posting its webhook (a fast bot can reply before the ack arrives), then
/// waits. A send is matched by `to` (digits) or `recipient` (BSUID), and by `context.message_id` when the
/// bot quotes the inbound message. Nothing is dropped silently: sends to unknown users, quoting another
/// user's message, repeating an answered turn, or arriving after a turn closed are all counted.
///
/// Shared on purpose: one per run, owned by the runtime (or a test); the users open and wait on their
/// turns, the stand-in Graph API's connection handlers deliver the bot's sends.
public final class ReplyCorrelator<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// How a wait ended.
    public enum Outcome: Sendable {
        case replied(BotReply, at: Instant)
        case timedOut
        /// No reply could reach the correlator any more (a shard lost its hub, `cutOff()`): the turn
        /// cannot be judged either way.
        case unjudged
    }

    /// What happened to one send (returned to the Graph stand-in, which counts nothing itself).
    public enum Match: Sendable, Equatable {
        /// Closed an open turn.
        case matched
        /// To a known user with no open turn: a second bubble, or after the turn timed out.
        case unsolicited
        /// Quotes (`context.message_id`) a turn that was already answered.
        case duplicate
        /// Quotes another user's open turn.
        case wrongUser
        /// To nobody loadgen simulates.
        case unknownUser
        /// An order notification to a stand-in vendor (`VendorNumbers`), not a reply.
        case vendor
    }

    private struct Turn {
        var wamid: String
        var outcome: Outcome?
        var waiter: CheckedContinuation<Outcome, Never>?
        /// Replies still owed: a burst of n messages is answered n times.
        var remaining = 1
        /// The other messages of a burst, which replies may quote.
        var also: [String] = []
        /// When the first reply arrived (the turn's reply latency ends there), and the latest reply.
        var firstAt: Instant?
        var latest: BotReply?
        /// A burst's answers so far, in arrival order.
        var answers: [BotReply] = []

        func answers(_ quoted: String) -> Bool { wamid == quoted || also.contains(quoted) }
    }

    private struct State {
        var open: [Int: Turn] = [:]
        var userByOpenWamid: [String: Int] = [:]
        var lastClosedWamid: [Int: String] = [:]
        /// Every answer of each user's last closed burst, for `waitForAll`.
        var burstAnswers: [Int: [BotReply]] = [:]
        var counters = CorrelationCounters()
        /// Set by `cutOff()`: every wait ends `unjudged`.
        var cutOff = false

        /// Closes `user`'s open turn (its waiter, if any, is the caller's to resume).
        mutating func close(_ user: Int, _ turn: Turn) {
            open[user] = nil
            userByOpenWamid[turn.wamid] = nil
            lastClosedWamid[user] = turn.wamid
        }
    }

    private let users: UserDirectory
    private let state = Mutex(State())

    /// A correlator for `users` (index = position in the array).
    public init(users: [SimulatedUser]) {
        self.users = UserDirectory(users)
    }

    /// Opens a turn for `user`: the next send to that user closes it. The waiting side owns the deadline
    /// (`wait(user:until:on:)`).
    ///
    /// A burst of several messages sent back to back opens one turn owed `replies` answers; it may be
    /// quoted by any of `also`. The wait ends with the last answer, timed from the first.
    public func open(user: Int, wamid: String, replies: Int = 1, also: [String] = []) {
        state.withLock { s in
            if let stale = s.open[user] { s.userByOpenWamid[stale.wamid] = nil }
            s.open[user] = Turn(wamid: wamid, outcome: s.cutOff ? .unjudged : nil, remaining: max(1, replies), also: also)
            s.userByOpenWamid[wamid] = user
        }
    }

    /// Sets how many answers `user`'s open turn is still owed (a rate-limit burst learns from its acks
    /// how many of its messages the bot accepted). With none owed the turn closes as answered.
    public func owe(user: Int, replies: Int) {
        state.withLock { s in
            guard var turn = s.open[user] else { return }
            let answered = (turn.also.count + 1) - turn.remaining  // answers already in
            turn.remaining = replies - answered
            if turn.remaining <= 0, turn.outcome == nil, let reply = turn.latest, let at = turn.firstAt {
                turn.remaining = 0
                turn.outcome = .replied(reply, at: at)  // every accepted message was already answered
                s.burstAnswers[user] = turn.answers
            }
            s.open[user] = turn
        }
    }

    /// Abandons `user`'s open turn (its delivery failed, so no reply is owed).
    public func abandon(user: Int) {
        state.withLock { s in
            if let turn = s.open[user] { s.close(user, turn) }
        }
    }

    /// Waits until `user`'s open turn is answered, or `deadline` passes on `clock` (or the calling task is
    /// cancelled): the waiting side owns its deadline, so nothing polls. Returns at once if the turn was
    /// already answered.
    public func wait<C: Clock>(user: Int, until deadline: Instant, on clock: C) async -> Outcome where C.Instant == Instant {
        guard let wamid = state.withLock({ $0.open[user]?.wamid }) else { return .timedOut }
        return await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await clock.sleep(until: deadline, tolerance: nil)
                self.timeOut(user: user, wamid: wamid)  // a no-op once the turn was answered
            }
            let outcome = await outcome(of: user)
            group.cancelAll()
            return outcome
        }
    }

    /// Like `wait`, and every answer of the burst it closed (a burst's chaos is judged on all of them:
    /// the answer to the message a fault hit need not come first).
    public func waitForAll<C: Clock>(user: Int, until deadline: Instant, on clock: C) async -> (Outcome, [BotReply])
    where C.Instant == Instant {
        let outcome = await wait(user: user, until: deadline, on: clock)
        let answers = state.withLock { $0.burstAnswers.removeValue(forKey: user) } ?? []
        if case .replied(let reply, _) = outcome, answers.isEmpty { return (outcome, [reply]) }
        return (outcome, answers)
    }

    /// The outcome of `user`'s open turn, once it has one.
    private func outcome(of user: Int) async -> Outcome {
        await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
            let ready: Outcome? = state.withLock { s in
                guard var turn = s.open[user] else { return .timedOut }
                if let outcome = turn.outcome {
                    s.close(user, turn)
                    return outcome
                }
                turn.waiter = continuation
                s.open[user] = turn
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// The deadline of `user`'s turn `wamid` passed: it times out, unless it was answered or is no
    /// longer the open one.
    private func timeOut(user: Int, wamid: String) {
        let waiter: CheckedContinuation<Outcome, Never>? = state.withLock { s in
            guard var turn = s.open[user], turn.wamid == wamid, turn.outcome == nil else { return nil }
            guard let waiter = turn.waiter else {
                turn.outcome = .timedOut
                s.open[user] = turn
                return nil
            }
            s.close(user, turn)
            return waiter
        }
        waiter?.resume(returning: .timedOut)
    }

    /// Hands one Graph API send to the correlator.
    @discardableResult
    public func deliver(_ send: GraphSend, at now: Instant) -> Match? {
        guard case .message(let reply) = send.kind else {
            if case .markRead(_, let typing) = send.kind {
                state.withLock { s in
                    s.counters.markRead += 1
                    if typing { s.counters.typing += 1 }
                }
            }
            return nil
        }
        let user = users.user(of: send)
        let (match, waiter, waiterOutcome): (Match, CheckedContinuation<Outcome, Never>?, Outcome?) = state.withLock { s in
            guard let user else {
                return (send.toDigits.map(VendorNumbers.contains) == true ? .vendor : .unknownUser, nil, nil)
            }
            if let quoted = send.contextMessageID {
                if let owner = s.userByOpenWamid[quoted], owner != user { return (.wrongUser, nil, nil) }
                if s.open[user]?.answers(quoted) != true {
                    return (s.lastClosedWamid[user] == quoted ? .duplicate : .unsolicited, nil, nil)
                }
            }
            guard var turn = s.open[user], turn.outcome == nil else { return (.unsolicited, nil, nil) }
            if turn.remaining > 1 {  // a burst: more answers owed
                turn.remaining -= 1
                turn.firstAt = turn.firstAt ?? now
                turn.latest = reply
                turn.answers.append(reply)
                s.open[user] = turn
                return (.matched, nil, nil)
            }
            let outcome = Outcome.replied(reply, at: turn.firstAt ?? now)
            turn.answers.append(reply)
            if !turn.also.isEmpty { s.burstAnswers[user] = turn.answers }
            if let waiter = turn.waiter {
                s.close(user, turn)
                return (.matched, waiter, outcome)
            }
            turn.outcome = outcome
            s.open[user] = turn
            return (.matched, nil, nil)
        }
        state.withLock { s in
            switch match {
            case .matched: s.counters.matched += 1
            case .unsolicited: s.counters.unsolicited += 1
            case .duplicate: s.counters.duplicate += 1
            case .wrongUser: s.counters.wrongUser += 1
            case .unknownUser: s.counters.unknownUser += 1
            case .vendor: s.counters.vendorNotifications += 1
            }
        }
        waiter?.resume(returning: waiterOutcome ?? .replied(reply, at: now))
        return match
    }

    /// Replies can no longer arrive (a shard lost the hub that hands them over): every turn waiting now
    /// ends `unjudged` at once, and so does every turn opened later — none is counted as `no_reply`.
    public func cutOff() {
        let waiters: [CheckedContinuation<Outcome, Never>] = state.withLock { s in
            s.cutOff = true
            var waiters: [CheckedContinuation<Outcome, Never>] = []
            for (user, var turn) in s.open where turn.outcome == nil {
                if let waiter = turn.waiter {
                    waiters.append(waiter)
                    s.close(user, turn)
                } else {
                    turn.outcome = .unjudged
                    s.open[user] = turn
                }
            }
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: .unjudged) }
    }

    /// Number of turns still open.
    public var openTurns: Int { state.withLock { $0.open.count } }

    /// The counters so far.
    public var counters: CorrelationCounters { state.withLock { $0.counters } }

    /// Counts a send the stand-in Graph API refused.
    public func refused() { state.withLock { $0.counters.refused += 1 } }
}
