import LoadgenCore
import LoadgenScenarios
import Testing

@Suite struct ScenarioTests {
    @Test func builderProducesPlainSteps() {
        let withThink = true
        let s = Scenario("b", summary: "") {
            Persona("user") {
                Send.text("MENU")
                Expect.reply(.interactive)
                if withThink { Think.between(.seconds(1), .seconds(2)) }
                for row in ["a", "b"] { Send.listRow(id: row, title: row.uppercased()) }
            }
        }
        #expect(s.personas[0].journey == [
            .send(.text(oneOf: ["MENU"])), .expectReply(within: nil, matching: .interactive),
            .think(min: .seconds(1), max: .seconds(2)),
            .send(.listReply(id: "a", title: "A")), .send(.listReply(id: "b", title: "B")),
        ])
    }

    @Test func validationErrorsWordForWord() {
        let none = Scenario(name: "z", summary: "", personas: [])
        #expect(throws: ScenarioError.noPersonas(scenario: "z")) { try none.validated() }
        #expect(ScenarioError.noPersonas(scenario: "z").description == "scenario 'z' has no personas: add at least one Persona")
        let empty = Scenario(name: "e", summary: "", personas: [Persona(name: "p", journey: [])])
        #expect(throws: ScenarioError.emptyJourney(scenario: "e", persona: "p")) { try empty.validated() }
        #expect(ScenarioError.emptyJourney(scenario: "e", persona: "p").description
            == "scenario 'e', persona 'p': the journey is empty; add at least one Send step")
        let noSend = Scenario("n", summary: "") { Persona("p") { Think.between(.seconds(1), .seconds(2)) } }
        #expect(throws: ScenarioError.noSend(scenario: "n", persona: "p")) { try noSend.validated() }
        let badThink = Scenario("t", summary: "") {
            Persona("p") {
                Send.text("x")
                Think.between(.seconds(3), .seconds(1))
            }
        }
        #expect(throws: ScenarioError.badThink(scenario: "t", persona: "p", step: 2)) { try badThink.validated() }
        #expect(ScenarioError.badThink(scenario: "t", persona: "p", step: 2).description
            == "scenario 't', persona 'p', step 2: think time must be non-negative with min ≤ max")
        #expect(throws: ScenarioError.emptyText(scenario: "x", persona: "p", step: 1)) {
            try Scenario("x", summary: "") { Persona("p") { Send.text(oneOf: []) } }.validated()
        }
        let weightless = Scenario("w", summary: "") { Persona("p", weight: 0) { Send.text("x") } }
        #expect(throws: ScenarioError.nonPositiveWeight(scenario: "w", persona: "p", weight: 0)) { try weightless.validated() }
        #expect(ScenarioError.nonPositiveWeight(scenario: "w", persona: "p", weight: 0).description
            == "scenario 'w', persona 'p': weight must be at least 1 (got 0)")
        let twins = Scenario("d", summary: "") {
            Persona("p") { Send.text("x") }
            Persona("p") { Send.text("y") }
        }
        #expect(throws: ScenarioError.duplicatePersona(scenario: "d", persona: "p")) { try twins.validated() }
        let regex = Scenario("r", summary: "") {
            Persona("p") {
                Send.text("x")
                Expect.reply(.regex("(unclosed"))
            }
        }
        #expect(throws: ScenarioError.badRegex(scenario: "r", persona: "p", step: 2, pattern: "(unclosed")) { try regex.validated() }
        let rate = Scenario("q", summary: "", load: .arrivals(perSecond: 0, for: .seconds(1), maxInFlight: nil)) {
            Persona("p") { Send.text("x") }
        }
        #expect(throws: ScenarioError.nonPositiveRate(scenario: "q", rate: 0)) { try rate.validated() }
        #expect(ScenarioError.nonPositiveRate(scenario: "q", rate: 0).description
            == "scenario 'q': the arrival rate must be above 0 (got 0.0)")
    }

    @Test func personasAreAssignedExactlyByWeight() {
        let s = Scenario("w", summary: "") {
            Persona("buyer", weight: 3) { Send.text("x") }
            Persona("driver", weight: 1) { Send.text("y") }
        }
        let names = (0..<8).map { s.persona(forUser: $0).name }
        #expect(names == ["buyer", "buyer", "buyer", "driver", "buyer", "buyer", "buyer", "driver"])
    }

    @Test func builtInsValidateAndUnknownNamesAreExplained() throws {
        for s in BuiltInScenarios.all { _ = try s.validated() }
        #expect(try BuiltInScenarios.named("generic").name == "generic")
        let known = ["generic", "easymo-smoke", "easymo-journeys", "staging-load", "nine-patterns", "nightly-regression"]
        #expect(BuiltInScenarios.all.map(\.name) == known)
        #expect(throws: ScenarioError.unknownScenario("nope", known: known)) { try BuiltInScenarios.named("nope") }
        #expect(ScenarioError.unknownScenario("nope", known: ["generic"]).description
            == "unknown scenario 'nope' (known: generic; see 'loadgen list')")
    }

    @Test func matchers() {
        let list = BotReply(type: "interactive", text: "🥬 I found 5 vendors", rows: [.init(id: "v1", title: "V")])
        #expect(ReplyMatcher.any.matches(list))
        #expect(ReplyMatcher.contains("VENDORS").matches(list))
        #expect(ReplyMatcher.interactive.matches(list))
        #expect(!ReplyMatcher.contains("driver").matches(list))
        #expect(ReplyMatcher.oneOf([.contains("driver"), .interactive]).matches(list))
        #expect(ReplyMatcher.regex("found \\d+ vendors").matches(list))
        #expect(!ReplyMatcher.regex("found \\d+ drivers").matches(list))
        #expect(ReplyMatcher.list(containing: "vendors").matches(list))
        #expect(!ReplyMatcher.list(containing: "drivers").matches(list))
        #expect(ReplyMatcher.not(.contains("driver")).matches(list))
        let buttons = BotReply(type: "interactive", text: "Pay?", buttons: [.init(id: "pay_wallet", title: "💳 Wallet"), .init(id: "pay_momo", title: "📱 MoMo")])
        #expect(ReplyMatcher.buttons(["pay_wallet", "📱 MoMo"]).matches(buttons))
        #expect(!ReplyMatcher.buttons(["pay_card"]).matches(buttons))
    }

    @Test func choicesFollowWhatTheBotOffered() {
        var random = SeededRandom(seed: 1)
        let reply = BotReply(type: "interactive", text: "Pick", buttons: [.init(id: "a", title: "Alpha"), .init(id: "b", title: "Beta")],
                             rows: [.init(id: "r1", title: "Row one")])
        #expect(Choice.button(at: 1).pick(from: reply, random: &random)?.1.id == "b")
        #expect(Choice.buttonTitled("alp").pick(from: reply, random: &random)?.1.id == "a")
        #expect(Choice.row(at: 0).pick(from: reply, random: &random)?.isButton == false)
        #expect(Choice.row(at: 3).pick(from: reply, random: &random) == nil)
        #expect(Choice.rowID("nope").pick(from: reply, random: &random) == nil)
        let anyID = Choice.any.pick(from: reply, random: &random)?.1.id
        #expect(["a", "b", "r1"].contains(anyID ?? ""))
    }
}
