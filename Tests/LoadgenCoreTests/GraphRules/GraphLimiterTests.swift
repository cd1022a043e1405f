import LoadgenCore
import Testing

/// Meta's three limits judged at chosen instants: what is refused on the spot, what is accepted and
/// failed later, what is counted.
@Suite struct GraphLimiterTests {
    typealias Limiter = GraphLimiter<ContinuousClock.Instant>
    let t0 = ContinuousClock.Instant.now
    let user = "250788000001"

    /// The verdicts on free-form sends to `recipient` at each offset from `t0` (`template`: template sends).
    func judge(_ limiter: inout Limiter, _ recipient: String, at offsets: [Duration], template: Bool = false) -> [Limiter.Verdict] {
        offsets.map { limiter.judge(recipient: recipient, template: template, at: t0 + $0) }
    }

    /// Past the bucket, the next bucket's worth fails in delivery and the rest is refused; per pair.
    @Test func thePairRateFailsThe46thMessageLaterAndRefusesThe91st() {
        var limiter = Limiter(GraphLimits(pair: .init(capacity: 45, interval: .seconds(6))))
        let burst = judge(&limiter, user, at: (0..<45).map { .milliseconds($0) })
        #expect(burst == Array(repeating: .deliver, count: 45))
        let borrowed = judge(&limiter, user, at: (0..<45).map { .seconds(1) + .milliseconds($0) })
        #expect(borrowed == Array(repeating: .failLater(.pairRateLimit), count: 45))
        #expect(judge(&limiter, user, at: [.seconds(2)]) == [.refuse(.pairRateLimit)])
        #expect(judge(&limiter, user, at: [.seconds(3)], template: true) == [.refuse(.pairRateLimit)])  // templates too
        #expect(judge(&limiter, "250788000002", at: [.seconds(3)]) == [.deliver])  // per pair
        // 90 tokens owed (45 + 45 borrowed, one back every 6 s from t0): the first comes back at 6 s.
        #expect(judge(&limiter, user, at: [.milliseconds(5_999), .seconds(6), .milliseconds(6_001)])
            == [.refuse(.pairRateLimit), .failLater(.pairRateLimit), .refuse(.pairRateLimit)])
        #expect(limiter.counts == GraphLimitCounts(pairRate: 4, pairRateFailed: 46))
    }

    @Test func throughputCountsTheUsersMessagesAndTheBotsSends() {
        var limiter = Limiter(GraphLimits(throughput: 80))
        limiter.heard(from: Array(repeating: ["250788000009"], count: 78), at: t0)  // 78 inbound in the same instant
        #expect(judge(&limiter, user, at: [.zero, .zero, .zero]) == [.deliver, .deliver, .refuse(.throughput)])  // the 81st this second
        #expect(judge(&limiter, user, at: [.microseconds(12_500), .microseconds(12_500)]) == [.deliver, .refuse(.throughput)])  // 1/80 s later, one more
        #expect(limiter.counts == GraphLimitCounts(throughput: 2))
    }

    /// A send refused by throughput takes no pair token; one refused by the pair rate takes no throughput.
    @Test func aRefusedSendTakesNoToken() {
        var limiter = Limiter(GraphLimits(pair: .init(capacity: 1, interval: .seconds(60)), throughput: 1))
        #expect(judge(&limiter, user, at: [.zero]) == [.deliver])
        #expect(judge(&limiter, "250788000002", at: [.zero, .seconds(1)]) == [.refuse(.throughput), .deliver])  // its pair token was kept
        #expect(judge(&limiter, user, at: [.seconds(2), .seconds(3)]) == [.failLater(.pairRateLimit), .refuse(.pairRateLimit)])
        #expect(judge(&limiter, "250788000003", at: [.seconds(4)]) == [.deliver])  // the refused send took no throughput
    }

    @Test func theWindowFailsFreeFormMessagesLaterButNotTemplates() {
        var limiter = Limiter(GraphLimits(window: .seconds(86_400)))
        #expect(judge(&limiter, user, at: [.zero]) == [.failLater(.reengagement)])  // never wrote in this run
        #expect(judge(&limiter, user, at: [.zero], template: true) == [.deliver])
        limiter.heard(from: [[user, "RW.1"]], at: t0 + .seconds(10))
        #expect(judge(&limiter, user, at: [.seconds(10), .seconds(86_409)]) == [.deliver, .deliver])  // …up to 23:59:59 later
        #expect(judge(&limiter, "RW.1", at: [.seconds(10)]) == [.deliver])  // a username user, by BSUID
        #expect(judge(&limiter, user, at: [.seconds(86_410)]) == [.failLater(.reengagement)])  // 24 h after
        #expect(judge(&limiter, user, at: [.seconds(86_410)], template: true) == [.deliver])
        #expect(limiter.counts == GraphLimitCounts(window: 2))
    }

    /// Off: nothing is judged, nothing counted.
    @Test func withoutLimitsEverySendIsDelivered() {
        var limiter = Limiter(GraphLimits())
        #expect(judge(&limiter, user, at: Array(repeating: .zero, count: 1_000)) == Array(repeating: .deliver, count: 1_000))
        #expect(limiter.counts == GraphLimitCounts())
    }
}

/// `--graph-limits` as written: every item, every override, and each mistake's sentence word for word.
@Suite struct GraphLimitsParsingTests {
    @Test func metaIsAllThreeAtMetasNumbers() throws {
        #expect(try GraphLimits.parse("meta") == GraphLimits(pair: .init(capacity: 45, interval: .seconds(6)), throughput: 80,
                                                              window: .seconds(86_400)))
        #expect(try GraphLimits.parse("pair,throughput,window") == .meta)
        #expect(try GraphLimits.parse("meta,pair=5/1m") == GraphLimits(pair: .init(capacity: 5, interval: .seconds(60)), throughput: 80,
                                                                         window: .seconds(86_400)))
        #expect(try GraphLimits.parse("throughput=20") == GraphLimits(throughput: 20))
        #expect(try GraphLimits.parse("window=2s, pair=45/6s") == GraphLimits(pair: .init(capacity: 45, interval: .seconds(6)),
                                                                                window: .seconds(2)))
    }

    @Test(arguments: [
        ("fast", "--graph-limits: unknown limit 'fast'; write meta, or a list of pair[=N/TIME], throughput[=N] and window[=TIME], e.g. meta or pair=45/6s,throughput=80,window=24h"),
        ("meta=1", "--graph-limits: unknown limit 'meta=1'; write meta, or a list of pair[=N/TIME], throughput[=N] and window[=TIME], e.g. meta or pair=45/6s,throughput=80,window=24h"),
        ("", "--graph-limits: unknown limit ''; write meta, or a list of pair[=N/TIME], throughput[=N] and window[=TIME], e.g. meta or pair=45/6s,throughput=80,window=24h"),
        ("pair=45", "--graph-limits: pair=45 is not a bucket; write pair=N/TIME, a burst of N messages to one user and one more every TIME, e.g. pair=45/6s"),
        ("pair=0/6s", "--graph-limits: pair=0/6s is not a bucket; write pair=N/TIME, a burst of N messages to one user and one more every TIME, e.g. pair=45/6s"),
        ("pair=45/0", "--graph-limits: pair=45/0 is not a bucket; write pair=N/TIME, a burst of N messages to one user and one more every TIME, e.g. pair=45/6s"),
        ("throughput=0", "--graph-limits: throughput=0 is not a rate; write throughput=N, messages per second from 1 to 100000, e.g. throughput=80"),
        ("throughput=fast", "--graph-limits: throughput=fast is not a rate; write throughput=N, messages per second from 1 to 100000, e.g. throughput=80"),
        ("window=soon", "--graph-limits: window=soon is not a time; write window=TIME, e.g. window=24h"),
    ])
    func mistakesSayWhatToWrite(text: String, message: String) {
        #expect(throws: ConfigError(message)) { try GraphLimits.parse(text) }
    }
}
