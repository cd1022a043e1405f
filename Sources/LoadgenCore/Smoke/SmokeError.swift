/// A mistake in a smoke test's inputs, said in one sentence the user can act on.
public enum SmokeError: Error, Equatable, CustomStringConvertible {
    /// A line of the test-numbers file is not an E.164 number.
    case badTestNumber(source: String, line: Int, text: String)
    /// A number is listed twice.
    case duplicateTestNumber(source: String, line: Int, firstLine: Int, text: String)
    /// The file lists no number at all.
    case noTestNumbers(source: String)
    /// The requested load exceeds the environment's caps and no override was given.
    case capsExceeded(env: SmokeEnvironment, violations: [String])

    public var description: String {
        switch self {
        case .badTestNumber(let source, let line, let text):
            "\(source):\(line): '\(text)' is not an E.164 number (write + and 8–15 digits, e.g. +250788123456; # starts a comment)"
        case .duplicateTestNumber(let source, let line, let first, let text):
            "\(source):\(line): \(text) is already listed on line \(first)"
        case .noTestNumbers(let source):
            "\(source) lists no test numbers (one E.164 number per line, e.g. +250788123456)"
        case .capsExceeded(let env, let violations):
            "--env \(env.rawValue) caps: " + violations.joined(separator: "; ")
                + " (pass --override-prod-caps to exceed them; the override is logged and recorded in the report)"
        }
    }
}
