import LoadgenCore

extension BuiltInScenarios {
    /// `generic`: works with any bot. Each user sends ordinary text messages; any reply counts.
    ///
    /// The phrases are what EasyMO's users write (English, French, Kinyarwanda; accents and emoji
    /// included, so every body exercises Meta's `\u` escaping and the bot's signature check on it).
    static let generic = Scenario(
        "generic", summary: "Ordinary text messages; any reply counts. Works with any bot."
    ) {
        Persona("user") {
            Send.text(oneOf: genericPhrases)
            Expect.reply(.any)
        }
    }

    static let genericPhrases = [
        "Hello",
        "I need vegetables near me",
        "Show me restaurants",
        "I need a job",
        "help",
        "What's the price of maize today?",
        "I want to buy a laptop",
        "I need to rent an apartment",
        "Motor insurance",
        "Need a ride to Remera",
        "MENU",
        "Muraho! Ndashaka imboga 🥬",
        "Où puis-je acheter des tomates ?",
        "Do you deliver to Kimironko?",
    ]
}
