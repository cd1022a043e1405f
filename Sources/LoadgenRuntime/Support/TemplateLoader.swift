import Foundation
import LoadgenCore

/// Loads the payload templates a scenario's `Send.template` steps use, and checks each renders.
public enum TemplateLoader {
    public static func load(for scenario: Scenario, from directory: String) throws(LoadgenFailure) -> [String: PayloadTemplate] {
        var templates: [String: PayloadTemplate] = [:]
        for (name, values) in scenario.templateSteps {
            if templates[name] == nil {
                let path = URL(fileURLWithPath: directory).appendingPathComponent(name + ".json").path
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw LoadgenFailure(.noInput, "payload template '\(name)' not found: no file \(path) (see --payloads)")
                }
                do { templates[name] = try PayloadTemplate(name: name, json: Array(data)) } catch {
                    throw LoadgenFailure(.dataError, error.description)
                }
            }
            do { try templates[name]!.check(with: values) } catch { throw LoadgenFailure(.dataError, error.description) }
        }
        return templates
    }
}
