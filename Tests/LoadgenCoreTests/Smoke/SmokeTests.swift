import LoadgenCore
import Testing

@Suite struct TestNumbersTests {
    @Test func parsesNumbersCommentsAndBlankLines() throws {
        let text = "# QA phones\n+250788123456   # Aline\n\n  +250780000000\r\n+15550783881\n"
        let numbers = try TestNumbers.parse(text, source: "numbers.txt")
        #expect(numbers.digits == ["250788123456", "250780000000", "15550783881"])
    }

    @Test(arguments: [
        ("+250788123456\n250788000001\n", 2, "250788000001"),      // no +
        ("+250 788 123 456\n", 1, "+250 788 123 456"),             // spaces
        ("+0250788123456\n", 1, "+0250788123456"),                 // leading zero
        ("+1234567\n", 1, "+1234567"),                             // too short
        ("+2507881234567890\n", 1, "+2507881234567890"),           // too long
        ("# ok\n+25078812345a\n", 2, "+25078812345a"),
    ])
    func rejectsBadLinesWithTheirLineNumber(text: String, line: Int, bad: String) {
        #expect(throws: SmokeError.badTestNumber(source: "n.txt", line: line, text: bad)) { try TestNumbers.parse(text, source: "n.txt") }
    }

    @Test func errorMessagesSayWhatToWrite() {
        #expect(SmokeError.badTestNumber(source: "n.txt", line: 3, text: "abc").description
            == "n.txt:3: 'abc' is not an E.164 number (write + and 8–15 digits, e.g. +250788123456; # starts a comment)")
        #expect(throws: SmokeError.noTestNumbers(source: "n.txt")) { try TestNumbers.parse("# nobody\n\n", source: "n.txt") }
        #expect(throws: SmokeError.duplicateTestNumber(source: "n.txt", line: 2, firstLine: 1, text: "+250788123456")) {
            try TestNumbers.parse("+250788123456\n+250788123456\n", source: "n.txt")
        }
    }
}

@Suite struct SmokeCapsTests {
    let inside = SmokeRequest(users: 5, duration: .seconds(120), minThinkTime: .seconds(3))

    @Test func prodAllowsAHandfulOfUsersForTwoMinutes() throws {
        #expect(SmokeCaps.prod.violations(of: inside).isEmpty)
        #expect(try SmokeCaps.prod.check(inside, env: .prod, override: false).isEmpty)
    }

    @Test func prodRefusesEachExcessInOneMessage() {
        let request = SmokeRequest(users: 6, duration: .seconds(121), minThinkTime: .seconds(1), chaos: true, bursts: true)
        let violations = SmokeCaps.prod.violations(of: request)
        #expect(violations == [
            "--users 6 exceeds 5", "--duration 121 s exceeds 120 s", "--think-time below 3 s (at most 20 messages a minute per number)",
            "--chaos is not allowed", "bursts, duplicates and batches are not allowed",
        ])
        #expect(throws: SmokeError.capsExceeded(env: .prod, violations: violations)) {
            try SmokeCaps.prod.check(request, env: .prod, override: false)
        }
        #expect(SmokeError.capsExceeded(env: .prod, violations: ["--users 6 exceeds 5"]).description
            == "--env prod caps: --users 6 exceeds 5 (pass --override-prod-caps to exceed them; the override is logged and recorded in the report)")
    }

    @Test func anOverrideReturnsTheViolationsToLog() throws {
        let request = SmokeRequest(users: 20, duration: .seconds(60), minThinkTime: .seconds(3))
        #expect(try SmokeCaps.prod.check(request, env: .prod, override: true) == ["--users 20 exceeds 5"])
    }

    @Test func stagingIsLooser() {
        let request = SmokeRequest(users: 50, duration: .seconds(300), minThinkTime: .zero, chaos: true, bursts: true)
        #expect(SmokeCaps.staging.violations(of: request).isEmpty)
        #expect(SmokeCaps.of(.staging).violations(of: SmokeRequest(users: 101, duration: .seconds(1), minThinkTime: .zero)).count == 1)
    }
}

@Suite struct RolloutSelectionTests {
    @Test func bucketsAsEasyMODoesAndPutsInsideNumbersFirst() {
        let s = RolloutSelection(numbers: ["250788123456", "250780000000", "250788000001"], percent: 50)
        #expect(s.entries.map(\.bucket) == [71, 98, 41])
        #expect(s.inside == ["250788000001"])
        #expect(s.preferredOrder == ["250788000001", "250788123456", "250780000000"])
        #expect(SmokeChecklist.rollout(s).status == .pass)
    }

    @Test func atOnePercentWithNoNumberInsideItFailsAndSuggestsNumbers() {
        let s = RolloutSelection(numbers: ["250788123456", "250780000000"], percent: 1)
        #expect(s.inside.isEmpty)
        let suggestions = s.suggestions()
        #expect(suggestions.count == 3)
        for n in suggestions {
            #expect(RolloutBucket.bucket(of: n) == 0)
            #expect(n.hasPrefix("25078812"))
        }
        let check = SmokeChecklist.rollout(s)
        #expect(check.status == .fail)
        #expect(check.detail.contains("none of the test numbers is inside the 1 % rollout (+250788123456 bucket 71, +250780000000 bucket 98)"))
        #expect(check.detail.contains("+" + suggestions[0]))
    }

    @Test func zeroAndHundredPercent() {
        #expect(RolloutSelection(numbers: ["250788123456"], percent: 0).inside.isEmpty)
        #expect(RolloutSelection(numbers: ["250788123456"], percent: 0).suggestions().isEmpty)
        #expect(RolloutSelection(numbers: ["250788123456"], percent: 100).inside == ["250788123456"])
    }
}

@Suite struct SmokeChecklistTests {
    @Test func signatureRefusalsAndTheSignedAck() {
        #expect(SmokeChecklist.signature(unsigned: .status(401), badlySigned: .status(403), signed: .status(200)).status == .pass)
        let open = SmokeChecklist.signature(unsigned: .status(200), badlySigned: .status(200), signed: .status(200))
        #expect(open.status == .fail)
        #expect(open.detail == "accepted an unsigned delivery (HTTP 200); accepted a badly signed delivery (HTTP 200)")
        #expect(SmokeChecklist.signature(unsigned: .status(500), badlySigned: .status(401), signed: .status(200)).status == .fail)
        #expect(SmokeChecklist.signature(unsigned: .status(401), badlySigned: .status(401), signed: .status(202)).detail
            == "a correctly signed delivery got HTTP 202, not 200")
    }

    @Test func handshakeNeedsTheEchoAndARefusal() {
        #expect(SmokeChecklist.handshake(right: (200, "42"), wrong: (403, "forbidden"), challenge: "42").status == .pass)
        #expect(SmokeChecklist.handshake(right: (200, "42"), wrong: (200, "42"), challenge: "42").status == .fail)
        #expect(SmokeChecklist.handshake(right: (200, "ok"), wrong: (403, ""), challenge: "42").status == .fail)
        #expect(SmokeChecklist.handshake(right: nil, wrong: (403, ""), challenge: "42").status == .skipped)
        #expect(SmokeChecklist.handshake(right: nil, wrong: (200, "42"), challenge: "42").status == .fail)
    }

    @Test func statusesMustBeAckedWithExactly200() {
        #expect(SmokeChecklist.statuses([("sent", .status(200)), ("read", .status(200))]).status == .pass)
        #expect(SmokeChecklist.statuses([("sent", .status(200)), ("read", .status(204))]).detail == "read → HTTP 204 (expected 200)")
    }

    @Test func replies() {
        let vendors = BotReply(type: "interactive", text: "I found 5 vendors near you.", rows: [.init(id: "v1", title: "Aline's")])
        let topRated = BotReply(type: "interactive", text: "⭐ Showing top-rated vendors near you:", rows: [.init(id: "v1", title: "A")])
        let agent = Expectations.Smoke.easymo.agentAnswer
        #expect(SmokeChecklist.reply("a", ack: .status(200), reply: .replied(vendors), expected: agent, fallback: .easymo, aiCalls: 1, wantsAI: true).status == .pass)
        #expect(SmokeChecklist.reply("a", ack: .status(200), reply: .replied(topRated), expected: agent, fallback: .easymo).status == .fail)
        #expect(SmokeChecklist.reply("a", ack: .status(200), reply: .replied(vendors), expected: agent, aiCalls: 0, wantsAI: true).status == .fail)
        #expect(SmokeChecklist.reply("m", ack: .status(200), reply: .replied(vendors), expected: .interactive, aiCalls: 2, wantsAI: false).detail
            == "a list of 1 \"I found 5 vendors near you.\", but the AI was called (2 LLM calls)")
        #expect(SmokeChecklist.reply("m", ack: .status(200), reply: .notAwaited, expected: .interactive).status == .skipped)
        #expect(SmokeChecklist.reply("m", ack: .status(500), reply: .notAwaited, expected: .interactive).status == .fail)
        #expect(SmokeChecklist.reply("m", ack: .status(200), reply: .timedOut, expected: .interactive).status == .fail)
    }
}
