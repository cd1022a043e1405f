import LoadgenCore

extension BuiltInScenarios {
    /// `easymo-journeys`: the six v2.0 agents' documented journeys (reference/easymo.md §4.1), with the
    /// buyer → station → driver handoff running through the bot's shared orders. Staff journeys branch
    /// on what the bot offers: a station finds pending orders only after buyers have paid, and two
    /// drivers racing for one delivery get one "already taken".
    static let easymoJourneys = Scenario(
        "easymo-journeys", summary: "The six v2.0 agents' journeys and the buyer → station → driver handoff.",
        criteria: ["staging"]
    ) {
        Persona(name: "buyer", weight: 4, journey: buyerPurchase + [Send.text("TRACK"), Expect.reply(.regex("Order #\\d+"))])
        Persona("station") {
            Send.text("STATION")
            Expect.reply(.oneOf([.list(containing: "pending orders"), .contains("No pending orders")]))
            Branch.on(.interactive) {
                Choose.any()  // any pending order: stations do not all race for the oldest
                Expect.reply(.oneOf([.buttons(["✅ Accept"]), .contains("already taken")]))
                Branch.on(.buttons(["✅ Accept"])) {
                    Choose.button(titled: "Accept")
                    Expect.reply(.oneOf([.buttons(["📦 Ready"]), .contains("already taken")]))
                    Branch.on(.buttons(["📦 Ready"])) {
                        Choose.button(titled: "Ready")
                        Expect.reply(.contains("ready for pickup"))
                    }
                }
            }
        }
        Persona("vendor") {
            Send.text("VENDOR")
            Expect.reply(.buttons(["vendor_menu", "vendor_orders"]))
            Choose.button(id: "vendor_menu")
            Expect.reply(.list(containing: "items"))
            Choose.any()
            Expect.reply(.buttons(["🚫 Sold out", "✅ Available"]))
            Choose.button(titled: "Sold out")
            Expect.reply(.contains("Updated!"))
            Send.text("Mark chicken as sold out")
            Expect.reply(.contains("Chicken is now marked as sold out"))
        }
        Persona("driver") {
            Send.text("DRIVER")
            Expect.reply(.oneOf([.list(containing: "deliveries"), .contains("No deliveries")]))
            Branch.on(.interactive) {
                Choose.any()
                Expect.reply(.oneOf([.buttons(["✅ Accept delivery"]), .contains("already taken")]))
                Branch.on(.buttons(["✅ Accept delivery"])) {
                    Choose.button(titled: "Accept delivery")
                    Expect.reply(.oneOf([.contains("Navigate"), .contains("already taken")]))
                    Branch.on(.contains("Navigate")) {
                        Choose.button(titled: "Delivered")
                        Expect.reply(.contains("confirmed"))
                    }
                }
            }
        }
        Persona("admin") {
            Send.text("ADMIN")
            Expect.reply(.buttons(["admin_stats"]))
            Choose.button(id: "admin_stats")
            Expect.reply(.regex("Today: \\d+ orders"))
        }
        Persona("support") {
            Send.text("help")
            Expect.reply(.buttons(["faq"]))
            Choose.button(id: "faq")
            Expect.reply(.contains("FAQ"))
        }
        Persona("hurried-buyer") {
            Send.burst(["Hi", "I need vegetables near me"])  // typed back to back: one answer each, in any order
            Expect.reply(.any)
            Think.between(.seconds(2), .seconds(4))  // two messages a journey: stay under the bot's 30 a minute
        }
        Persona(name: "rider", identity: .usernameOnly, journey: rideRequest)
    }

    /// A buyer's search → pick → pay, shared by the journeys and the nine-pattern drill.
    @StepBuilder static var buyerPurchase: [Step] {
        Send.text(oneOf: ["I need vegetables near me", "I need tomatoes", "I want to buy maize and beans"])
        Expect.reply(.list(containing: "vendors"))
        Choose.row(at: 0)
        Expect.reply(.buttons(["pay_wallet", "pay_momo"]))
        Choose.button(id: "pay_wallet")
        Expect.reply(.regex("Order #\\d+ .* confirmed"))
    }

    /// A ride: ask, share the pickup location, pick a driver.
    @StepBuilder static var rideRequest: [Step] {
        Send.text("I need a moto to Remera")
        Expect.reply(.contains("pickup location"))
        Send.location(latitude: -1.9441, longitude: 30.0619, name: "Kigali Heights")
        Expect.reply(.list(containing: "drivers"))
        Choose.row(at: 0)
        Expect.reply(.contains("on the way"))
    }

    /// `staging-load`: the staging gate as a scenario: 100 users for 300 s, judged by the staging preset.
    static let stagingLoad = Scenario(
        "staging-load", summary: "The staging gate: 100 users for 300 s of ordinary messages, staging criteria.",
        load: .users(100, for: .seconds(300)), criteria: ["staging"]
    ) {
        Persona("user") {
            Send.text(oneOf: genericPhrases)
            Expect.reply(.any)
        }
    }
}
