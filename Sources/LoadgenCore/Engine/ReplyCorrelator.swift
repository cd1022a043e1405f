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
        /// Fires when the turn gets its outcome: its waiter sleeps on it until its deadline.
        var settled = StopSignal()
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
        /// Turns closed with an outcome their waiter has not collected yet, by the turn's `settled` signal.
        var outcomes: [Int: (settled: StopSignal, outcome: Outcome)] = [:]
        var counters = CorrelationCounters()
        /// Set by `cutOff()`: every wait ends `unjudged`.
        var cutOff = false

        /// Closes `user`'s open turn.
        mutating func close(_ user: Int, _ turn: Turn) {
            open[user] = nil
            userByOpenWamid[turn.wamid] = nil
            lastClosedWamid[user] = turn.wamid
        }

        /// Closes `user`'s open turn with `outcome`, kept for its waiter; the caller fires the returned
        /// signal once out of the lock.
        mutating func settle(_ user: Int, _ turn: Turn, _ outcome: Outcome) -> StopSignal {
            close(user, turn)
            outcomes[user] = (turn.settled, outcome)
            return turn.settled
        }

        /// What `reply`, a send to `user` (nil: nobody simulated), is: it answers `user`'s open turn unless it
        /// quotes a message that is not that turn's. The turn's last answer settles it, and the signal to fire
        /// is returned.
        mutating func match(_ reply: BotReply, to user: Int?, quoting send: GraphSend, at now: Instant)
            -> (Match, StopSignal?) {
            guard let user else { return (send.toDigits.map(VendorNumbers.contains) == true ? .vendor : .unknownUser, nil) }
            if let quoted = send.contextMessageID {
                if let owner = userByOpenWamid[quoted], owner != user { return (.wrongUser, nil) }
                if open[user]?.answers(quoted) != true { return (lastClosedWamid[user] == quoted ? .duplicate : .unsolicited, nil) }
            }
            guard var turn = open[user] else { return (.unsolicited, nil) }
            turn.answers.append(reply)
            if turn.remaining > 1 {  // a burst: more answers owed
                turn.remaining -= 1
                turn.firstAt = turn.firstAt ?? now
                turn.latest = reply
                open[user] = turn
                return (.matched, nil)
            }
            if !turn.also.isEmpty { burstAnswers[user] = turn.answers }
            return (.matched, settle(user, turn, .replied(reply, at: turn.firstAt ?? now)))
        }
    }

    /// Who each number and BSUID is (status webhooks name their users from it too).
    public let users: UserDirectory
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
        let settled: StopSignal? = state.withLock { s in
            if let stale = s.open[user] { s.userByOpenWamid[stale.wamid] = nil }
            s.outcomes[user] = nil
            let turn = Turn(wamid: wamid, remaining: max(1, replies), also: also)
            s.open[user] = turn
            s.userByOpenWamid[wamid] = user
            return s.cutOff ? s.settle(user, turn, .unjudged) : nil
        }
        settled?.trigger()
    }

    /// Sets how many answers `user`'s open turn is still owed (a rate-limit burst learns from its acks
    /// how many of its messages the bot accepted). With none owed the turn closes as answered.
    public func owe(user: Int, replies: Int) {
        let settled: StopSignal? = state.withLock { s in
            guard var turn = s.open[user] else { return nil }
            let answered = (turn.also.count + 1) - turn.remaining  // answers already in
            turn.remaining = replies - answered
            if turn.remaining <= 0, let reply = turn.latest, let at = turn.firstAt {
                s.burstAnswers[user] = turn.answers
                return s.settle(user, turn, .replied(reply, at: at))  // every accepted message was already answered
            }
            s.open[user] = turn
            return nil
        }
        settled?.trigger()
    }

    /// Abandons `user`'s open turn (its delivery failed, so no reply is owed).
    public func abandon(user: Int) {
        state.withLock { s in
            if let turn = s.open[user] { s.close(user, turn) }
        }
    }

    /// Waits until `user`'s open turn is answered, or `deadline` passes on `clock` (or the calling task is
    /// cancelled): the waiting side owns its deadline, so nothing polls. Returns at once if the turn was
    /// already answered. The wait is one sleep on the clock that the answer ends early — no task of its
    /// own, no timer left behind.
    public func wait<C: EngineClock>(user: Int, until deadline: Instant, on clock: C) async -> Outcome where C.Instant == Instant {
        let settled: StopSignal? = state.withLock { s in
            if let kept = s.outcomes[user] { return kept.settled }
            return s.open[user]?.settled
        }
        guard let settled else { return .timedOut }
        await settled.sleep(until: deadline, on: clock)
        return state.withLock { s in
            if let kept = s.outcomes[user], kept.settled === settled {
                s.outcomes[user] = nil
                return kept.outcome
            }
            if let turn = s.open[user], turn.settled === settled { s.close(user, turn) }
            return .timedOut
        }
    }

    /// Like `wait`, and every answer of the burst it closed (a burst's chaos is judged on all of them:
    /// the answer to the message a fault hit need not come first).
    public func waitForAll<C: EngineClock>(user: Int, until deadline: Instant, on clock: C) async -> (Outcome, [BotReply])
    where C.Instant == Instant {
        let outcome = await wait(user: user, until: deadline, on: clock)
        let answers = state.withLock { $0.burstAnswers.removeValue(forKey: user) } ?? []
        if case .replied(let reply, _) = outcome, answers.isEmpty { return (outcome, [reply]) }
        return (outcome, answers)
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
        let (match, settled): (Match, StopSignal?) = state.withLock { s in
            let (match, settled) = s.match(reply, to: user, quoting: send, at: now)
            switch match {
            case .matched: s.counters.matched += 1
            case .unsolicited: s.counters.unsolicited += 1
            case .duplicate: s.counters.duplicate += 1
            case .wrongUser: s.counters.wrongUser += 1
            case .unknownUser: s.counters.unknownUser += 1
            case .vendor: s.counters.vendorNotifications += 1
            }
            return (match, settled)
        }
        settled?.trigger()
        return match
    }

    /// Replies can no longer arrive (a shard lost the hub that hands them over): every turn waiting now
    /// ends `unjudged` at once, and so does every turn opened later — none is counted as `no_reply`.
    public func cutOff() {
        let settled: [StopSignal] = state.withLock { s in
            s.cutOff = true
            return s.open.map { user, turn in s.settle(user, turn, .unjudged) }
        }
        for signal in settled { signal.trigger() }
    }

    /// Number of turns still open.
    public var openTurns: Int { state.withLock { $0.open.count } }

    /// The counters so far.
    public var counters: CorrelationCounters { state.withLock { $0.counters } }

    /// Counts a send the stand-in Graph API refused.
    public func refused() { state.withLock { $0.counters.refused += 1 } }
}
