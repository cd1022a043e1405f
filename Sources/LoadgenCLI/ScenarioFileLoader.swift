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
