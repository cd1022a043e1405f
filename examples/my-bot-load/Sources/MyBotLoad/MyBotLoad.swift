import LoadgenKit

/// `my-bot-load`: loadgen's whole command line (`run`, `smoke`, `list`, `validate`, `compare`, `merge`,
/// `serve`, `proxy`), with this package's scenarios beside the built-in ones.
@main
struct MyBotLoad {
    static func main() async {
        await LoadgenCLI.main(scenarios: [groceries])
    }
}

/// A shopper who greets the bot, asks for vegetables, picks the first vendor offered and then thinks
/// a while; one in four asks for help instead.
let groceries = Scenario("groceries", summary: "Greet, ask for vegetables, pick a vendor; some ask for help.") {
    Persona("shopper", weight: 3) {
        Send.text("Hello")
        Expect.reply(.interactive)
        Think.between(.seconds(1), .seconds(2))
        Send.text(oneOf: ["I need vegetables near me", "Where can I buy tomatoes?", "fresh beans please"])
        Expect.reply(.list(containing: "vendors"))
        Choose.row(at: 0)
        Expect.reply(.any)
    }
    Persona("asks-for-help", weight: 1) {
        Send.text("help")
        Expect.reply(.any)
    }
}
