import Foundation

/// What `loadgen init` writes: a commented scenario file that runs as it is against the embedded bot,
/// and with `--swift` a package of one's own — the same files as `examples/my-bot-load` (a test holds
/// them equal, and the suite builds that example), with the dependency pointed at this loadgen.
enum StarterFiles {
    static let scenario = """
    # A loadgen scenario file (README, "Scenario files"). Check it:  loadgen validate scenario.yaml
    # Run it against the embedded reference bot:                    loadgen run -f scenario.yaml
    # ... or against your bot: add --target https://your-bot.example/webhook (README, "Testing your own bot").
    name: my-scenario
    summary: A greeting, a question about vegetables, a tap on what the bot offered.
    load:
      users: 10                 # simulated users at once
      duration: 30s             # how long they keep starting turns
    criteria: [staging]         # error rate < 2 %, reply p95 < 500 ms; or e.g. "reply.p99<800ms"
    personas:
      - name: shopper
        weight: 3               # three of every four users
        steps:
          - send: Hello
          - expect: interactive               # buttons or a list
          - think: 1s-3s                      # a human pause
          - send: ["I need vegetables near me", "I need tomatoes"]   # one of these, at random
          - expect: { list: vendors }         # a list whose text mentions vendors
          - choose: { row: 0 }                # tap the first row the bot offered
          - expect: any
      - name: asks-for-help
        steps:
          - send: help
          - expect: any

    """

    /// The package's one source file: `examples/my-bot-load`'s.
    static let swiftMain = """
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

    """

    /// The package's manifest, depending on loadgen at `dependency` (a `.package(...)` expression).
    static func manifest(dependency: String, note: String) -> String {
        """
        // swift-tools-version: 6.1
        import PackageDescription

        // A package of your own that load-tests your bot with your journeys, on loadgen's command line.
        // \(note)
        let package = Package(
            name: "my-bot-load",
            platforms: [.macOS(.v15)],
            dependencies: [\(dependency)],
            targets: [
                .executableTarget(
                    name: "MyBotLoad",
                    dependencies: [.product(name: "LoadgenKit", package: "loadgen")]
                ),
            ]
        )

        """
    }

    /// Where this loadgen's source is, if it is on this machine (the package a `--swift` starter depends on).
    static var sourceRoot: String? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../..").standardized
        return FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) ? root.path : nil
    }
}
