import Foundation
import LoadgenCore
import LoadgenRuntime
import LoadgenScenarios
import Synchronization

/// loadgen's command line, for a package of your own: every subcommand (`run`, `smoke`, `ca`, `list`,
/// `validate`, `compare`, `merge`, `serve`, `proxy`) with your scenarios beside the built-in ones.
///
/// ```swift
/// import LoadgenKit
///
/// @main struct MyBotLoad {
///     static func main() async { await LoadgenCLI.main(scenarios: [checkout, support]) }
/// }
/// ```
public enum LoadgenCLI {
    /// Parses the process's arguments and runs the command, then exits with its code. A scenario of
    /// yours named like a built-in one, or like another of yours, is refused (exit 64).
    public static func main(scenarios: [Scenario] = []) async -> Never {
        do { try ScenarioCatalog.install(scenarios) } catch {
            Loadgen.log("error: \(error.description)")
            Foundation.exit(ExitStatus.usage.rawValue)
        }
        await Loadgen.main()
        Foundation.exit(0)
    }
}

/// The scenarios a `--scenario NAME` finds: the built-in ones, then those the program was started with.
enum ScenarioCatalog {
    /// Written once, by `LoadgenCLI.main` before any command runs; read by the commands.
    private static let extra = Mutex<[Scenario]>([])

    static func install(_ scenarios: [Scenario]) throws(ScenarioError) {
        var names = Set(BuiltInScenarios.all.map(\.name))
        for s in scenarios where !names.insert(s.name).inserted {
            throw .duplicateScenario(s.name)
        }
        extra.withLock { $0 = scenarios }
    }

    /// Every scenario, built-in first.
    static var all: [Scenario] { BuiltInScenarios.all + extra.withLock { $0 } }

    /// The scenario called `name` as listed (not validated); an unknown name is said in one line, exit 64.
    static func listed(_ name: String) throws -> Scenario {
        guard let scenario = all.first(where: { $0.name == name }) else {
            Loadgen.log("error: " + ScenarioError.unknownScenario(name, known: all.map(\.name)).description)
            throw ExitStatus.usage.exitCode
        }
        return scenario
    }

    /// The scenario called `name`, validated.
    static func named(_ name: String) throws(ScenarioError) -> Scenario {
        let all = all
        guard let scenario = all.first(where: { $0.name == name }) else { throw .unknownScenario(name, known: all.map(\.name)) }
        return try scenario.validated()
    }
}
