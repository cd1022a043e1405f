import Foundation
import LoadgenCore

/// Where secrets come from: the environment or a file, never argv.
struct SecretSources {
    var environment: [String: String]

    /// `WHATSAPP_APP_SECRET`, or the contents of `--app-secret-file`.
    func appSecret(file: String?) throws(LoadgenFailure) -> Secret? {
        if let file { return try Self.read(file, what: "--app-secret-file") }
        return env("WHATSAPP_APP_SECRET")
    }

    /// `WHATSAPP_VERIFY_TOKEN` (optional: without it the handshake check is skipped).
    var verifyToken: Secret? { env("WHATSAPP_VERIFY_TOKEN") }

    /// `WHATSAPP_ACCESS_TOKEN` (optional: when set, the stand-in Graph API accepts only this Bearer token).
    var accessToken: Secret? { env("WHATSAPP_ACCESS_TOKEN") }

    private func env(_ name: String) -> Secret? {
        guard let v = environment[name], !v.isEmpty else { return nil }
        return Secret(v)
    }

    /// A secret from a file: the first line, without its line break.
    static func read(_ path: String, what: String) throws(LoadgenFailure) -> Secret {
        guard FileManager.default.fileExists(atPath: path) else {
            throw LoadgenFailure(.noInput, "\(what): no such file: \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadgenFailure(.noInput, "\(what): cannot read \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LoadgenFailure(.dataError, "\(what): \(path) is not UTF-8 text")
        }
        let line = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard !line.isEmpty else { throw LoadgenFailure(.dataError, "\(what): \(path) is empty") }
        return Secret(line)
    }
}
