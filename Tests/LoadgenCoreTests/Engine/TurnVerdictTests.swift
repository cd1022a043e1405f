import LoadgenCore
import Testing

/// The judgement of a turn, rule by rule: a table of what came back over the wire and what it comes to.
@Suite struct TurnVerdictTests {
    static let vendors = BotReply(type: "interactive", text: "Pick one of 5 vendors", rows: [.init(id: "v1", title: "Kimironko Fresh")])
    static let topRated = BotReply(type: "text", text: "Showing top-rated vendors")
    static let crash = BotReply(type: "text", text: "Error: upstream returned 500")

    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var failure: ErrorClass? = nil
        var reply: TurnEvidence.Reply
        var hit: [FailurePattern] = []
        var verdict: TurnVerdict
        var testDescription: String { name }
    }

    static let ms20 = Duration.milliseconds(20)
    static let rows: [Row] = [
        Row(name: "the expected reply passes", reply: .replied(vendors, latency: ms20, answers: []),
            verdict: TurnVerdict(acked: true, error: nil, latency: ms20)),
        Row(name: "a reply that fails the check is bad_reply", reply: .replied(crash, latency: ms20, answers: []),
            verdict: TurnVerdict(acked: true, error: .badReply, latency: ms20)),
        Row(name: "no reply is no_reply", reply: .timedOut, verdict: TurnVerdict(acked: true, error: .noReply)),
        Row(name: "a failed delivery is its error class, not acked", failure: .http5xx, reply: .notAwaited,
            verdict: TurnVerdict(acked: false, error: .http5xx)),
        Row(name: "a reply not awaited passes on its ack and is not in the phases", reply: .notAwaited,
            verdict: TurnVerdict(acked: true, error: nil, countsInPhases: false)),
        Row(name: "a hit turn answered gracefully", reply: .replied(topRated, latency: ms20, answers: []), hit: [.aiServiceDown],
            verdict: TurnVerdict(acked: true, error: nil, latency: ms20, fallback: true, patterns: [.aiServiceDown: .graceful])),
        Row(name: "a hit turn the bot absorbed (the normal reply)", reply: .replied(vendors, latency: ms20, answers: []), hit: [.aiServiceDown],
            verdict: TurnVerdict(acked: true, error: nil, latency: ms20, patterns: [.aiServiceDown: .absorbed])),
        Row(name: "a hit turn answered with a raw error is wrong", reply: .replied(crash, latency: ms20, answers: []), hit: [.aiServiceDown],
            verdict: TurnVerdict(acked: true, error: .badReply, latency: ms20, patterns: [.aiServiceDown: .wrong])),
        Row(name: "a hit turn with no reply is silent", reply: .timedOut, hit: [.aiServiceDown, .noResults],
            verdict: TurnVerdict(acked: true, error: .noReply, patterns: [.aiServiceDown: .silent, .noResults: .silent])),
        Row(name: "a hit turn whose delivery failed is errored", failure: .timeout, reply: .notAwaited, hit: [.timeout],
            verdict: TurnVerdict(acked: false, error: .timeout, patterns: [.timeout: .errored])),
        Row(name: "a burst is graceful when any answer is", reply: .replied(vendors, latency: ms20, answers: [vendors, topRated]),
            hit: [.aiServiceDown],
            verdict: TurnVerdict(acked: true, error: nil, latency: ms20, patterns: [.aiServiceDown: .graceful])),
        Row(name: "two patterns: graceful for either counts for both", reply: .replied(topRated, latency: ms20, answers: []),
            hit: [.aiServiceDown, .timeout],
            verdict: TurnVerdict(acked: true, error: nil, latency: ms20, fallback: true,
                                 patterns: [.aiServiceDown: .graceful, .timeout: .graceful])),
    ]

    @Test(arguments: rows)
    func judge(_ row: Row) {
        let evidence = TurnEvidence(failure: row.failure, reply: row.reply, expected: .list(containing: "vendors"), hit: row.hit,
                                    graceful: row.hit.map(\.expected))
        #expect(TurnVerdict.judge(evidence) == row.verdict)
    }

    /// The accounting of a verdict: every place a turn shows, counted once, in its phase.
    @Test func aVerdictIsCountedEverywhereItShows() {
        var m = RunMetrics()
        let key = StepKey(persona: "buyer", step: "1 text")
        let chaos: ChaosPlan = [.inject(.aiServiceDown, rate: 1, from: .seconds(1), to: .seconds(2))]
        let graceful = TurnVerdict(acked: true, error: nil, latency: .milliseconds(30), fallback: true, patterns: [.aiServiceDown: .graceful])
        m.record(graceful, turns: 1, of: key, acks: [AckSample(elapsed: .milliseconds(5), waited: nil)], at: ChaosMoment(chaos, at: .milliseconds(1500)))
        let clean = TurnVerdict(acked: true, error: nil, latency: .milliseconds(10))
        m.record(clean, turns: 1, of: key, acks: [AckSample(elapsed: .milliseconds(4), waited: nil)], at: ChaosMoment(chaos, at: .milliseconds(2250)))
        m.record(TurnVerdict(acked: false, error: .http5xx), turns: 3, of: key, acks: [], at: ChaosMoment(chaos, at: .zero))
        #expect(m.turns == 5 && m.errorTurns == 3 && m.errors(.http5xx) == 3)
        #expect(m.ack.count == 2 && m.reply.count == 2 && m.replies == 2 && m.fallbackReplies == 1)
        #expect(m.steps[key]?.turns == 5 && m.steps[key]?.errors == 3)
        #expect(m.patterns[.aiServiceDown]?.injected == 1 && m.patterns[.aiServiceDown]?.activation.count == 1)
        #expect(m.phases[.fault]?.turns == 1 && m.phases[.fault]?.fallbacks == 1)
        #expect(m.phases[.recovery]?.turns == 1 && m.phases[.baseline]?.errors == 3)
        #expect(m.phases[.baseline]?.errorsByClass == ["http_5xx": 3])
        #expect(m.recoveredAt == [0: .milliseconds(250)])  // the clean turn 250 ms after the window closed
    }
}
