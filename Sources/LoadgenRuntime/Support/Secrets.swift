import Foundation
import LoadgenCore

/// The secrets a run uses, read from the environment or files (never argv), never printed or written.
public struct RunSecrets: Sendable {
    /// The app secret the target checks signatures with (required for an external target).
    public var appSecret: Secret?
    /// Checks the verification handshake (optional).
    public var verifyToken: Secret?
    /// The Bearer token the stand-in Graph API accepts (any when nil).
    public var accessToken: Secret?

    public init(appSecret: Secret? = nil, verifyToken: Secret? = nil, accessToken: Secret? = nil) {
        self.appSecret = appSecret
        self.verifyToken = verifyToken
        self.accessToken = accessToken
    }
}

/// Where secrets come from: the environment or a file, never argv.
public struct SecretSources: Sendable {
    public var environment: [String: String]

    public init(environment: [String: String]) { self.environment = environment }

    /// Every secret a run reads: the app secret from `appSecretFile` or `WHATSAPP_APP_SECRET`, the verify
    /// and access tokens from `WHATSAPP_VERIFY_TOKEN` and `WHATSAPP_ACCESS_TOKEN`.
    public func secrets(appSecretFile: String?) throws(LoadgenFailure) -> RunSecrets {
        RunSecrets(appSecret: try appSecret(file: appSecretFile), verifyToken: verifyToken, accessToken: accessToken)
    }

    /// `WHATSAPP_APP_SECRET`, or the contents of `--app-secret-file`.
    public func appSecret(file: String?) throws(LoadgenFailure) -> Secret? {
        if let file { return try Self.read(file, what: "--app-secret-file") }
        return env("WHATSAPP_APP_SECRET")
    }

    /// `WHATSAPP_VERIFY_TOKEN` (optional: without it the handshake check is skipped).
    public var verifyToken: Secret? { env("WHATSAPP_VERIFY_TOKEN") }

    /// `WHATSAPP_ACCESS_TOKEN` (optional: when set, the stand-in Graph API accepts only this Bearer token).
    public var accessToken: Secret? { env("WHATSAPP_ACCESS_TOKEN") }

    private func env(_ name: String) -> Secret? {
        guard let v = environment[name], !v.isEmpty else { return nil }
        return Secret(v)
    }

    /// A secret from a file: the first line, without its line break.
    public static func read(_ path: String, what: String) throws(LoadgenFailure) -> Secret {
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
