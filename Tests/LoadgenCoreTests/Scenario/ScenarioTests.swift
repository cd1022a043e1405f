import LoadgenCore
import LoadgenScenarios
import Testing

@Suite struct ScenarioTests {
    @Test func builderProducesPlainSteps() {
        let withThink = true
        let s = Scenario("b", summary: "") {
            Send.text("MENU")
            Expect.reply(.interactive)
            if withThink { Think.between(.seconds(1), .seconds(2)) }
            for row in ["a", "b"] { Send.listRow(id: row, title: row.uppercased()) }
        }
        #expect(s.journey == [
            .send(.text(oneOf: ["MENU"])), .expectReply(within: nil, matching: .interactive),
            .think(min: .seconds(1), max: .seconds(2)),
            .send(.listReply(id: "a", title: "A")), .send(.listReply(id: "b", title: "B")),
        ])
        #expect(s.turnsPerJourney == 3)
    }

    @Test func validationErrorsWordForWord() {
        let empty = Scenario(name: "e", summary: "", journey: [])
        #expect(throws: ScenarioError.emptyJourney(scenario: "e")) { try empty.validated() }
        #expect(ScenarioError.emptyJourney(scenario: "e").description == "scenario 'e' has an empty journey: add at least one .send step")
        let noSend = Scenario("n", summary: "") { Think.between(.seconds(1), .seconds(2)) }
        #expect(throws: ScenarioError.noSend(scenario: "n")) { try noSend.validated() }
        let badThink = Scenario("t", summary: "") {
            Send.text("x")
            Think.between(.seconds(3), .seconds(1))
        }
        #expect(throws: ScenarioError.badThink(scenario: "t", step: 2)) { try badThink.validated() }
        #expect(ScenarioError.badThink(scenario: "t", step: 2).description
            == "scenario 't', step 2: think time must be non-negative with min ≤ max")
        #expect(throws: ScenarioError.emptyText(scenario: "x", step: 1)) {
            try Scenario("x", summary: "") { Send.text(oneOf: []) }.validated()
        }
    }

    @Test func builtInsValidateAndUnknownNamesAreExplained() throws {
        for s in BuiltInScenarios.all { _ = try s.validated() }
        #expect(try BuiltInScenarios.named("generic").name == "generic")
        #expect(throws: ScenarioError.unknownScenario("nope", known: ["generic"])) { try BuiltInScenarios.named("nope") }
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
    }
}
