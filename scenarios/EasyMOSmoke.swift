import LoadgenCore

extension BuiltInScenarios {
    /// `easymo-smoke`: the runbook's manual checks (reference/easymo.md §4.1, §2.8), one persona each.
    static let easymoSmoke = Scenario(
        "easymo-smoke", summary: "EasyMO's manual smoke checks: vegetables → vendor list, MENU → menu and no AI, a location, a tap.",
        criteria: ["prod"]
    ) {
        Persona("agent-routing") {
            Send.text("I need vegetables")
            Expect.reply(.list(containing: "vendors"))
        }
        Persona("menu-fallback") {
            Send.text("MENU")
            // The services menu, not an agent's answer: the reference bot's, or the list titled "easyMO
            // Services" that EasyMO's real wa-webhook-core sends (reference/easymo.md §6).
            Expect.reply(.oneOf([.list(containing: "What would you like"), .list(containing: "easyMO Services")]))
        }
        Persona("location-share") {
            Send.location(latitude: -1.9536, longitude: 30.1044, name: "Kimironko Market")
            Expect.reply(.any)
        }
        Persona("button-tap") {
            Send.text("MENU")
            Expect.reply(.interactive)
            Choose.row(at: 0)
            Expect.reply(.any)
        }
    }
}
