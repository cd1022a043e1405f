import LoadgenCore
import Testing

@Suite struct ReplyCorrelatorTests {
    let users = (0..<3).map { SimulatedUser(index: $0, seed: 9) }
    let clock = ContinuousClock()

    private func send(to user: SimulatedUser, _ text: String, context: String? = nil, byBSUID: Bool = false) -> GraphSend {
        GraphSend(kind: .message(BotReply(type: "text", text: text)), to: byBSUID ? nil : "+" + user.phone,
                  recipient: byBSUID ? user.bsuid : nil, contextMessageID: context)
    }

    @Test func replyBeforeWaitIsKeptAndReturned() async {
        let c = ReplyCorrelator<ContinuousClock.Instant>(users: users)
        c.open(user: 0, wamid: "w0")
        #expect(c.deliver(send(to: users[0], "fast"), at: clock.now) == .matched)
        guard case .replied(let reply, _) = await c.wait(user: 0, until: clock.now + .seconds(10), on: clock) else { Issue.record("no reply"); return }
        #expect(reply.text == "fast")
        #expect(c.openTurns == 0)
    }

    /// A rate-limit burst opens one turn owed an answer per message, and learns from the acks how many
    /// the bot accepted: fewer answers are then owed, none stray.
    @Test func aBurstOwesOnlyWhatTheBotAccepted() async {
        let c = ReplyCorrelator<ContinuousClock.Instant>(users: users)
        c.open(user: 0, wamid: "b4", replies: 5, also: ["b0", "b1", "b2", "b3"])
        #expect(c.deliver(send(to: users[0], "one"), at: clock.now) == .matched)
        #expect(c.deliver(send(to: users[0], "two"), at: clock.now) == .matched)
        c.owe(user: 0, replies: 3)  // three accepted, two refused with 429: one answer still owed
        #expect(c.deliver(send(to: users[0], "three"), at: clock.now) == .matched)
        guard case .replied(let reply, _) = await c.wait(user: 0, until: clock.now + .seconds(10), on: clock) else { Issue.record("no reply"); return }
        #expect(reply.text == "three")
        #expect(c.counters.unsolicited == 0)

        c.open(user: 1, wamid: "c2", replies: 3, also: ["c0", "c1"])
        #expect(c.deliver(send(to: users[1], "only"), at: clock.now) == .matched)
        c.owe(user: 1, replies: 1)  // the one accepted message was already answered: the turn closes
        guard case .replied(let last, _) = await c.wait(user: 1, until: clock.now + .seconds(10), on: clock) else { Issue.record("no reply"); return }
        #expect(last.text == "only")
    }

    @Test func outOfOrderRepliesReachTheRightUsers() async {
        let c = ReplyCorrelator<ContinuousClock.Instant>(users: users)
        for u in users { c.open(user: u.index, wamid: "w\(u.index)") }
        async let r0 = c.wait(user: 0, until: clock.now + .seconds(10), on: clock)
        async let r1 = c.wait(user: 1, until: clock.now + .seconds(10), on: clock)
        async let r2 = c.wait(user: 2, until: clock.now + .seconds(10), on: clock)
        // Replies arrive in reverse order; user 1 is found by BSUID (a username user).
        c.deliver(send(to: users[2], "to 2"), at: clock.now)
        c.deliver(send(to: users[1], "to 1", byBSUID: true), at: clock.now)
        c.deliver(send(to: users[0], "to 0", context: "w0"), at: clock.now)
        let texts = await [r0, r1, r2].map { outcome -> String in
            if case .replied(let reply, _) = outcome { return reply.text }
            return "timeout"
        }
        #expect(texts == ["to 0", "to 1", "to 2"])
        #expect(c.counters.matched == 3)
    }

    @Test func duplicateAndUnmatchedSendsAreCountedNotDropped() async {
        let c = ReplyCorrelator<ContinuousClock.Instant>(users: users)
        c.open(user: 0, wamid: "w0")
        #expect(c.deliver(send(to: users[0], "answer", context: "w0"), at: clock.now) == .matched)
        _ = await c.wait(user: 0, until: clock.now + .seconds(10), on: clock)
        #expect(c.deliver(send(to: users[0], "answer again", context: "w0"), at: clock.now) == .duplicate)
        #expect(c.deliver(send(to: users[0], "a second bubble"), at: clock.now) == .unsolicited)
        let stranger = GraphSend(kind: .message(BotReply(type: "text", text: "hi")), to: "15550000000", recipient: nil,
                                 contextMessageID: nil)
        #expect(c.deliver(stranger, at: clock.now) == .unknownUser)
        c.open(user: 1, wamid: "w1")
        #expect(c.deliver(send(to: users[2], "crossed wires", context: "w1"), at: clock.now) == .wrongUser)
        let counts = c.counters
        #expect([counts.matched, counts.duplicate, counts.unsolicited, counts.unknownUser, counts.wrongUser] == [1, 1, 1, 1, 1])
    }

    /// The waiting side owns its deadline: a wait whose deadline has passed times out at once, the other
    /// user's turn stays open, and a reply after the timeout is unsolicited.
    @Test func aPassedDeadlineTimesOutTheWaitAndLateRepliesAreUnsolicited() async {
        let c = ReplyCorrelator<ContinuousClock.Instant>(users: users)
        let start = clock.now
        c.open(user: 0, wamid: "w0")
        c.open(user: 1, wamid: "w1")
        guard case .timedOut = await c.wait(user: 0, until: start - .seconds(1), on: clock) else { Issue.record("expected a timeout"); return }
        #expect(c.openTurns == 1)
        #expect(c.deliver(send(to: users[0], "too late"), at: clock.now) == .unsolicited)
        #expect(c.deliver(send(to: users[1], "in time"), at: clock.now) == .matched)
    }

    @Test func markReadAndTypingAreCountedApart() {
        let c = ReplyCorrelator<ContinuousClock.Instant>(users: users)
        c.deliver(GraphSend(kind: .markRead(messageID: "w0", typing: true), to: nil, recipient: nil, contextMessageID: nil),
                  at: clock.now)
        #expect(c.counters.markRead == 1)
        #expect(c.counters.typing == 1)
        #expect(c.counters.matched == 0)
    }
}
