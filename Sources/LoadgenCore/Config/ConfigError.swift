/// A mistake in what the user asked for (a flag, a combination of flags, a value out of range): one
/// sentence that says what is wrong and what to write instead. The CLI prints it as a usage error (64).
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    /// The sentence.
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
