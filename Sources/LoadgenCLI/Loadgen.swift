import ArgumentParser
import Foundation
import LoadgenCore
import LoadgenFiles
import LoadgenScenarios
import LoadgenRuntime
import NIOCore
import NIOPosix

/// `loadgen`: synthetic WhatsApp traffic and chaos for bot backends.
struct Loadgen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loadgen",
        abstract: "Synthetic WhatsApp users, signed webhooks and a stand-in Graph API: load-test a bot end to end.",
        version: loadgenVersion,
        subcommands: [Run.self, Smoke.self, Hub.self, Compare.self, Merge.self, Serve.self, Proxy.self, CA.self, List.self, Validate.self, Export.self, Schema.self, Init.self],
        defaultSubcommand: Run.self)

    /// Like ArgumentParser's `main`, but a usage error is one line on stderr (exit 64), not a usage dump.
    static func main() async {
        // Run Swift tasks on NIO's event loops: a user's task and its connection's I/O then share a
        // thread, with no hop between Swift's pool and NIO's on every request (measured: see README).
        LoopExecutor.install()
        // A pipe whose reader is gone (`loadgen … | head`) must lose lines, not kill the run: writes then fail
        // with EPIPE, which the writers ignore, instead of raising SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        // Every connection is a descriptor; at the limit the runtime traps. Take what the hard limit allows.
        OpenFiles.raiseLimit()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            exit(withError: code)  // the command already said why
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            let message = message(for: error).split(whereSeparator: \.isNewline).joined(separator: " ")
            let hint = message.contains("see '") ? "" : " (see 'loadgen help')"
            StandardStreams.writeError("loadgen: error: \(message)\(hint)\n")
            Foundation.exit(ExitStatus.usage.rawValue)
        }
    }

    /// Says one line on stderr, `loadgen: …` (a lost terminal loses the line, never the run).
    @Sendable static func log(_ line: String) {
        StandardStreams.writeError("loadgen: " + line + "\n")
    }
}

extension Loadgen {
    /// `loadgen list`: the built-in scenarios and criteria presets.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List built-in scenarios and criteria presets, or the nine failure patterns ('loadgen list patterns').")

        @Argument(help: "What to list: all (default), scenarios, criteria or patterns.")
        var what: String = "all"

        func validate() throws {
            guard ["all", "scenarios", "criteria", "patterns"].contains(what) else {
                throw ValidationError("'loadgen list \(what)': choose all, scenarios, criteria or patterns")
            }
        }

        func run() {
            if what == "patterns" { return listPatterns() }
            if what != "criteria" { listScenarios() }
            if what != "scenarios" { listCriteria() }
        }

        private func listPatterns() {
            print("the nine fallback failure patterns (EasyMO v2.0):")
            for p in FailurePattern.allCases {
                print("  \(p.number). \(p.rawValue)")
                print("     injects:  \(p.defaultFault) at the \(p.site.rawValue)")
                print("     expects:  \(p.graceful)")
                print("     matched:  \(p.expected)")
                if p == .networkIssues {
                    print("     traffic:  network-issues:burst[N] — after its turn a user floods N messages (35) past the bot's rate limit;")
                    print("               graceful: the excess gets 429 with Retry-After, nothing fails, accepted ones are answered")
                }
            }
        }

        private func listScenarios() {
            print("scenarios:")
            let width = ScenarioCatalog.all.map(\.name.count).max() ?? 0
            for s in ScenarioCatalog.all {
                print("  \(s.name)\(String(repeating: " ", count: width - s.name.count))  \(s.summary)")
                print("  \(String(repeating: " ", count: width))  personas: "
                    + s.personas.map { "\($0.name)\($0.weight > 1 ? "×\($0.weight)" : "")" }.joined(separator: ", "))
            }
        }

        private func listCriteria() {
            print("criteria presets:")
            for set in CriteriaSet.presets {
                print("  \(set.name): " + set.criteria.map(\.text).joined(separator: "; ")
                    + (set.onFailure == .rollback ? "  (failure = roll back)" : ""))
            }
        }
    }
}

extension Loadgen {
    /// `loadgen validate NAME`: checks one scenario without running it.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a scenario or a scenario file without running it (exit 0 valid, 64 unknown name, 65 invalid, 66 no such file).")

        @Argument(help: "The scenario's name (see 'loadgen list'), or a scenario file (.yaml, .yml, .json): each mistake is FILE:LINE:COLUMN.")
        var name: String

        func run() throws {
            if [".yaml", ".yml", ".json"].contains(where: name.lowercased().hasSuffix) || name.contains("/") {
                do throws(LoadgenFailure) { report(try ScenarioFileLoader.load(name)) } catch {
                    Loadgen.log("error: \(error.message)")
                    throw error.status.exitCode
                }
                return
            }
            let scenario = try ScenarioCatalog.listed(name)
            do { report(try scenario.validated()) } catch {
                Loadgen.log("error: \(error.description)")
                throw ExitStatus.dataError.exitCode
            }
        }

        private func report(_ valid: Scenario) {
            let steps = valid.personas.map { $0.journey.count }.reduce(0, +)
            print("✅ scenario '\(valid.name)' is valid: \(valid.personas.count) personas, \(steps) steps, "
                + "criteria \(valid.criteria.isEmpty ? "staging (default)" : valid.criteria.joined(separator: ","))")
        }
    }
}

extension Loadgen {
    /// `loadgen export NAME`: a scenario as a scenario file, to start one's own from.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a scenario as a YAML scenario file (loadgen run -f reads it back as the same scenario).")

        @Argument(help: "The scenario's name (see 'loadgen list').")
        var name: String

        func run() throws {
            let scenario = try ScenarioCatalog.listed(name)
            do { print(try ScenarioFile.export(scenario), terminator: "") } catch {
                Loadgen.log("error: \(error.description)")
                throw ExitStatus.dataError.exitCode
            }
        }
    }
}

extension Loadgen {
    /// `loadgen schema`: the JSON Schema of scenario files, for editors (also schema/scenario.schema.json).
    struct Schema: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the JSON Schema of scenario files (the same as schema/scenario.schema.json), for editors to complete and check them.")

        func run() { print(ScenarioFile.jsonSchema, terminator: "") }
    }
}
