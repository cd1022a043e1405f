import LoadgenCore
import Yams

/// Reads a YAML (or JSON) node tree into values, collecting every mistake as `FILE:LINE:COLUMN:
/// sentence` instead of stopping at the first: a file's author fixes them all in one pass.
struct NodeReader {
    let path: String
    private(set) var problems: [String] = []
    /// The users file a scenario file names (`users:`), as written.
    var usersFile: String?

    init(path: String) { self.path = path }

    mutating func fail(_ node: Node?, _ sentence: String) {
        let mark = node?.mark.map { "\($0.line):\($0.column)" } ?? "1:1"
        problems.append("\(path):\(mark): \(sentence)")
    }

    /// The pairs of a mapping, each key checked against `allowed` (an unknown key is a mistake, said
    /// with the keys it could have been).
    mutating func mapping(_ node: Node, _ what: String, allowed: [String]) -> [(key: String, keyNode: Node, value: Node)]? {
        guard case .mapping(let m) = node else {
            fail(node, "\(what) must be a mapping (key: value lines)")
            return nil
        }
        var out: [(String, Node, Node)] = []
        for (k, v) in m {
            guard let key = k.scalar?.string else { fail(k, "a key in \(what) must be a word"); continue }
            guard allowed.contains(key) else {
                fail(k, "unknown key '\(key)' in \(what); expected one of: \(allowed.joined(separator: ", "))")
                continue
            }
            out.append((key, k, v))
        }
        return out
    }

    /// The items of a sequence.
    mutating func sequence(_ node: Node, _ what: String) -> [Node]? {
        guard case .sequence(let s) = node else {
            fail(node, "\(what) must be a list (lines starting with '- ')")
            return nil
        }
        return Array(s)
    }

    mutating func string(_ node: Node, _ what: String) -> String? {
        guard case .scalar(let s) = node else {
            fail(node, "\(what) must be text")
            return nil
        }
        return s.string
    }

    /// A list of texts, or one text as a list of one.
    mutating func strings(_ node: Node, _ what: String) -> [String]? {
        if case .scalar(let s) = node { return [s.string] }
        guard let items = sequence(node, what) else { return nil }
        let texts = items.compactMap { string($0, "each of \(what)") }
        return texts.count == items.count ? texts : nil
    }

    mutating func int(_ node: Node, _ what: String, atLeast minimum: Int = Int.min) -> Int? {
        guard let text = string(node, what) else { return nil }
        guard let n = Int(text), n >= minimum else {
            fail(node, "\(what) must be a whole number\(minimum == Int.min ? "" : " of at least \(minimum)") (got '\(text)')")
            return nil
        }
        return n
    }

    mutating func double(_ node: Node, _ what: String) -> Double? {
        guard let text = string(node, what) else { return nil }
        guard let n = Double(text), n.isFinite else {
            fail(node, "\(what) must be a number (got '\(text)')")
            return nil
        }
        return n
    }

    mutating func bool(_ node: Node, _ what: String) -> Bool? {
        guard let text = string(node, what) else { return nil }
        switch text {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            fail(node, "\(what) must be true or false (got '\(text)')")
            return nil
        }
    }

    /// `30s`, `5m`, `1.5s`, `250ms` or plain seconds.
    mutating func duration(_ node: Node, _ what: String) -> Duration? {
        guard let text = string(node, what) else { return nil }
        guard let d = DurationText.parse(text), d > .zero else {
            fail(node, "\(what) must be a time such as 30s, 5m or 250ms (got '\(text)')")
            return nil
        }
        return d
    }
}
