import LoadgenCore
import Testing

@Suite struct FloodJudgementTests {
    typealias Ack = FloodJudgement.Ack
    static let ok = Ack(.status(200))

    @Test func aLimitWithRetryAfterIsGraceful() {
        let acks = Array(repeating: Self.ok, count: 30) + Array(repeating: Ack(.status(429), retryAfter: 42), count: 5)
        #expect(FloodJudgement.judge(acks, answered: true) == .graceful)
        #expect(FloodJudgement.backOff(acks) == .seconds(42))
    }

    @Test func noLimitOrNoRetryAfterIsWrong() {
        #expect(FloodJudgement.judge(Array(repeating: Self.ok, count: 35), answered: true) == .wrong)
        #expect(FloodJudgement.judge([Self.ok, Ack(.status(429), retryAfter: nil)], answered: true) == .wrong)
        #expect(FloodJudgement.judge([Self.ok, Ack(.status(429), retryAfter: 0)], answered: true) == .wrong)
    }

    @Test func failuresAreErrorsAndUnansweredMessagesSilence() {
        #expect(FloodJudgement.judge([Self.ok, Ack(.status(503)), Ack(.status(429), retryAfter: 5)], answered: true) == .errored)
        #expect(FloodJudgement.judge([Self.ok, Ack(.failed(.io))], answered: true) == .errored)
        #expect(FloodJudgement.judge([Self.ok, Ack(.status(429), retryAfter: 5)], answered: false) == .silent)
        #expect(FloodJudgement.judge([Ack(.status(429), retryAfter: 5)], answered: false) == .graceful)  // nothing accepted, nothing owed
    }

    @Test func theBurstIsWrittenAsANetworkIssuesVariant() throws {
        let plan = try ChaosPlan.parse("network-issues:burst=0.2@10s-20s,network-issues:burst70=5%,network-issues=0.1")
        #expect(plan.faults.map(\.shape) == [.rateLimitBurst(messages: 35), .rateLimitBurst(messages: 70), .reset])
        #expect(plan.faults.map(\.site) == [.traffic, .traffic, .database])
        for bad in ["timeout:burst=0.1", "network-issues:flood=0.1", "network-issues:burst1=0.1", "network-issues:burstx=0.1"] {
            #expect(throws: ChaosPlanError.badShape(bad)) { try ChaosPlan.parse(bad) }
        }
    }

    @Test func aBurstIsNotJudgedAsTheTurnItFollows() {
        let injector = FaultInjector(plan: [.inject(.networkIssues, rate: 1, shape: .rateLimitBurst(messages: 35))], seed: 1)
        let hit = injector.fault(at: .traffic, correlationID: "wamid.T", elapsed: .seconds(1))
        #expect(hit?.1 == .rateLimitBurst(messages: 35))
        #expect(injector.patterns(forTurn: "wamid.T").isEmpty)  // the turn keeps its step's expectation
        #expect(injector.fault(at: .database, correlationID: "wamid.U", elapsed: .seconds(1)) == nil)  // not at the database
    }
}
