import Foundation
import LoadgenCore

/// Reads `--graph-templates`: a missing file is exit 66; one that is not Meta's template list is exit
/// 65, said in one line.
public enum BusinessTemplatesLoader {
    public static func load(_ path: String) throws(LoadgenFailure) -> BusinessTemplates {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadgenFailure(.noInput, "--graph-templates: no such file: \(path)")
        }
        do { return try BusinessTemplates.parse(Array(data), path: path) } catch { throw LoadgenFailure(.dataError, error.message) }
    }
}
