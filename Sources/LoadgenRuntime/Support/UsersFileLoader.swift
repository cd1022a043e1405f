import Foundation
import LoadgenCore

/// Reads `--users-file`: a missing file is exit 66; rows that cannot be users are exit 65, each on a
/// line of its own as `FILE:LINE: sentence`.
public enum UsersFileLoader {
    public static func load(_ path: String, seed: UInt64) throws(LoadgenFailure) -> UsersFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadgenFailure(.noInput, "--users-file: no such file: \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LoadgenFailure(.dataError, "--users-file \(path): not UTF-8 text")
        }
        do { return try UsersFile.parse(text, path: path, seed: seed) } catch {
            throw LoadgenFailure(.dataError, error.lines.joined(separator: "\nloadgen: error: "))
        }
    }
}
