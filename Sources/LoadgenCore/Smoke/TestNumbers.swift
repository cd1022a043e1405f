/// The allow-listed test numbers a smoke test may write from: nobody else's phone is ever used.
///
/// The file has one E.164 number per line (`+250788123456`); `#` starts a comment, blank lines are
/// ignored. Numbers are kept as WhatsApp delivers them in `messages[].from`: digits only, no `+`.
///
/// ```swift
/// let numbers = try TestNumbers.parse("+250788123456  # QA phone 1\n", source: "test-numbers.txt")
/// numbers.digits   // ["250788123456"]
/// ```
public struct TestNumbers: Sendable, Hashable {
    /// The numbers, digits only, in file order.
    public var digits: [String]

    /// Wraps already-checked numbers (digits only).
    public init(digits: [String]) { self.digits = digits }

    /// Parses the file's text; `source` names the file in error messages.
    public static func parse(_ text: String, source: String) throws(SmokeError) -> TestNumbers {
        var seen: [String: Int] = [:]
        var digits: [String] = []
        for (offset, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = offset + 1
            let content = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let entry = content.trimmingCharacters(in: [" ", "\t", "\r"])
            if entry.isEmpty { continue }
            guard let number = e164Digits(entry) else {
                throw .badTestNumber(source: source, line: line, text: entry)
            }
            if let first = seen[number] { throw .duplicateTestNumber(source: source, line: line, firstLine: first, text: entry) }
            seen[number] = line
            digits.append(number)
        }
        guard !digits.isEmpty else { throw .noTestNumbers(source: source) }
        return TestNumbers(digits: digits)
    }

    /// The digits of an E.164 number: `+`, a non-zero country digit, 8–15 digits in all. Nil otherwise.
    static func e164Digits(_ text: String) -> String? {
        guard text.first == "+" else { return nil }
        let digits = text.dropFirst()
        guard (8...15).contains(digits.count), digits.first != "0",
              digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return String(digits)
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
        String(drop(while: { set.contains($0) }).reversed().drop(while: { set.contains($0) }).reversed())
    }
}
