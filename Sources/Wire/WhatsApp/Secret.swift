/// A secret value (app secret, verify token, access token) that never prints itself.
///
/// Secrets come from the environment or a file, never from argv, and never appear in reports or logs:
/// `description` and `debugDescription` are redacted, so string interpolation cannot leak one by accident.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret's text. Read it only where it is used (signing, comparing, an HTTP header).
    public let value: String

    /// Wraps a secret value.
    public init(_ value: String) { self.value = value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }

    /// A random secret of `length` alphanumerics, for the embedded bot.
    public static func generate(length: Int = 32) -> Secret {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var generator = SystemRandomNumberGenerator()
        return Secret(String((0..<length).map { _ in alphabet.randomElement(using: &generator)! }))
    }
}
