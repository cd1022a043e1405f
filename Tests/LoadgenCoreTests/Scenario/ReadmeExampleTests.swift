// The scenario shown in README.md, verbatim: if the README's example stops compiling or validating,
// this test says so.
import LoadgenCore

extension BuiltInScenarios {
    static let vegetableRush = Scenario("vegetable-rush", summary: "Buyers ordering vegetables; one in four checks the menu.",
                                        load: .users(50, for: .seconds(120)), criteria: ["staging", "reply.p99<800ms"]) {
        Persona("buyer", weight: 3) {
            Send.text(oneOf: ["I need vegetables near me", "I need tomatoes"])
            Expect.reply(.list(containing: "vendors"))        // a list that mentions vendors
            Think.between(.seconds(1), .seconds(3))
            Choose.row(at: 0)                                  // tap the first vendor the bot offered
            Expect.reply(.buttons(["pay_wallet", "pay_momo"]))
            Choose.button(id: "pay_wallet")
            Expect.reply(.regex("Order #\\d+ .* confirmed"))
        }
        Persona("browser") {
            Send.text("MENU")
            Expect.reply(.interactive)
            Branch.on(.list(containing: "What would you like")) {
                Choose.any()
                Expect.reply()
            } otherwise: {
                Send.text("help")
                Expect.reply()
            }
        }
    }
}

import Foundation
import LoadgenFiles
import LoadgenScenarios
import Testing

@Suite struct ReadmeExampleTests {
    @Test func theReadmeScenarioIsValid() throws {
        let s = try BuiltInScenarios.vegetableRush.validated()
        #expect(s.personas.map(\.name) == ["buyer", "browser"])
        #expect((0..<4).map { s.persona(forUser: $0).name } == ["buyer", "buyer", "buyer", "browser"])
        #expect(s.load == .users(50, for: .seconds(120)))
        #expect(try CriteriaSet.parse(s.criteria.joined(separator: ",")).map(\.name) == ["staging", "custom"])
    }

    /// The README's YAML twin of the Swift example decodes to an equal value.
    @Test func theReadmeScenarioFileIsTheSameScenario() throws {
        let readme = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "```yaml\n# vegetable-rush.yaml"))
        let end = try #require(readme[start.upperBound...].range(of: "```"))
        let yaml = String(readme[readme.index(start.lowerBound, offsetBy: 8)..<end.lowerBound])
        let file = try ScenarioFile.load(yaml, path: "README.md")
        #expect(file == (try BuiltInScenarios.vegetableRush.validated()))
    }
}

/// `easymo-smoke` takes the services menu of EasyMO's real core as well as the reference bot's.
@Suite struct EasyMOSmokeMenuTests {
    @Test func bothMenusPass() throws {
        let smoke = try #require(BuiltInScenarios.all.first { $0.name == "easymo-smoke" })
        let persona = try #require(smoke.personas.first { $0.name == "menu-fallback" })
        guard case .expectReply(_, let matcher)? = persona.journey.dropFirst().first else { Issue.record("no expectation"); return }
        let core = BotReply(type: "interactive", text: "easyMO Services\nHi! Choose a service", rows: [.init(id: "rides", title: "Rides")])
        let reference = BotReply(type: "interactive", text: "EasyMO\nHi Aline! 👋 What would you like to do today?", rows: [.init(id: "svc_rides", title: "🚖 Rides")])
        #expect(matcher.matches(core) && matcher.matches(reference))
        #expect(!matcher.matches(BotReply(type: "text", text: "What would you like?")))  // a list, not a text
    }
}
