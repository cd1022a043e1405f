import ArgumentParser
import Foundation
import LoadgenCore
import LoadgenFiles
import LoadgenRuntime

/// Reads a scenario file: a missing file is exit 66; its mistakes exit 65, each on a line of its own as
/// `FILE:LINE:COLUMN: sentence`.
enum ScenarioFileLoader {
    static func load(_ path: String) throws(LoadgenFailure) -> Scenario { try document(path).scenario }

    /// The file's scenario and the users file it names.
    static func document(_ path: String) throws(LoadgenFailure) -> ScenarioFile.Document {
        guard let data = FileManager.default.contents(atPath: path) else { throw LoadgenFailure(.noInput, "no such scenario file: \(path)") }
        guard let text = String(data: data, encoding: .utf8) else { throw LoadgenFailure(.dataError, "\(path): not UTF-8 text") }
        do { return try ScenarioFile.document(text, path: path) } catch {
            throw LoadgenFailure(.dataError, error.lines.joined(separator: "\nloadgen: error: "))
        }
    }
}

/// `-f FILE`, shared by `run` and `smoke`: the scenario comes from a file instead of `--scenario NAME`.
struct ScenarioFileOption: ParsableArguments {
    @Option(name: [.customShort("f"), .long], help: ArgumentHelp(
        "The scenario in this file (YAML or JSON; the README's 'Scenario files') instead of --scenario; its expectations say what the bot's answers must look like.",
        valueName: "file"), transform: Arguments.path)
    var file: String?

    /// The scenario to run, read once: the file's (a missing file is 66, its mistakes 65), else the one
    /// called `name` (unknown: 64).
    func source(named name: String) throws(LoadgenFailure) -> ScenarioFile.Document {
        if let file { return try ScenarioFileLoader.document(file) }
        do { return ScenarioFile.Document(scenario: try ScenarioCatalog.named(name)) } catch { throw LoadgenFailure(.usage, error.description) }
    }

    /// For `validate()`: the scenario, or nil when the file cannot be read — `plan` refuses that with the
    /// file's own exit code. An unknown name is a usage error here.
    func sourceForValidation(named name: String) throws -> ScenarioFile.Document? {
        do { return try source(named: name) } catch {
            if file != nil { return nil }
            throw ValidationError(error.message)
        }
    }
}
