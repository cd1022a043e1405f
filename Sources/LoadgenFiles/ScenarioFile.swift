import LoadgenCore
import Yams

/// A scenario written as data — YAML, or JSON (which YAML reads) — decoded into the same `Scenario` the
/// Swift DSL builds. Every mistake is one line, `FILE:LINE:COLUMN: sentence`. The format is the README's
/// "Scenario files".
public enum ScenarioFile {
    /// Every mistake in a file, one line each.
    public struct Problems: Error, Sendable, Equatable, CustomStringConvertible {
        public var lines: [String]
        public init(lines: [String]) { self.lines = lines }
        public var description: String { lines.joined(separator: "\n") }
    }

    /// A scenario file's contents: the scenario, and the users file it names (`users:`), if any.
    public struct Document: Sendable {
        public var scenario: Scenario
        /// The users file's path, relative to the scenario file's directory when it was written relative.
        public var usersFile: String?

        public init(scenario: Scenario, usersFile: String? = nil) {
            self.scenario = scenario
            self.usersFile = usersFile
        }
    }

    /// The scenario in `text`, read from `path` (used in the messages), validated.
    public static func load(_ text: String, path: String) throws(Problems) -> Scenario { try document(text, path: path).scenario }

    /// The scenario in `text` and the users file it names.
    public static func document(_ text: String, path: String) throws(Problems) -> Document {
        var reader = NodeReader(path: path)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw Problems(lines: ["\(path):1:1: the file is empty: it needs at least name and personas"]) }
            root = node
        } catch let problems as Problems {
            throw problems
        } catch {
            throw Problems(lines: [syntax(error, path: path)])
        }
        let scenario = reader.scenario(root)
        guard reader.problems.isEmpty, let scenario else { throw Problems(lines: reader.problems) }
        // A users file named relative to the scenario file is found next to it.
        let users = reader.usersFile.map { u -> String in
            guard !u.hasPrefix("/"), let slash = path.lastIndex(of: "/") else { return u }
            return String(path[...slash]) + u
        }
        do { return Document(scenario: try scenario.validated(), usersFile: users) } catch {
            throw Problems(lines: ["\(path): \(error.description)"])
        }
    }

    /// A YAML syntax error as `FILE:LINE:COLUMN: sentence`.
    private static func syntax(_ error: any Error, path: String) -> String {
        switch error as? YamlError {
        case .scanner(_, let problem, let mark, _)?, .parser(_, let problem, let mark, _)?, .composer(_, let problem, let mark, _)?:
            return "\(path):\(mark.line):\(mark.column): not YAML: \(problem)"
        case .duplicatedKeysInMapping(let keys, let context)?:
            return "\(path):\(context.mark.line):\(context.mark.column): the key '\(keys.joined(separator: "', '"))' is written twice"
        default:
            return "\(path):1:1: not YAML: \(error)"
        }
    }
}

extension NodeReader {
    static let scenarioKeys = ["name", "summary", "load", "criteria", "chaos", "expectations", "users", "personas"]
    static let personaKeys = ["name", "weight", "identity", "steps"]
    static let loadKeys = ["users", "arrivals", "stages", "duration", "maxInFlight"]

    mutating func scenario(_ node: Node) -> Scenario? {
        guard let pairs = mapping(node, "the scenario", allowed: Self.scenarioKeys) else { return nil }
        var name: String?, summary = "", load: LoadProfile?, criteria: [String] = [], chaos = ChaosPlan()
        var expectations = Expectations.easymo, personas: [Persona] = []
        for (key, _, value) in pairs {
            switch key {
            case "name": name = string(value, "name")
            case "summary": summary = string(value, "summary") ?? ""
            case "load": load = self.load(value)
            case "criteria": criteria = self.criteria(value)
            case "chaos": chaos = self.chaos(value)
            case "expectations": expectations = self.expectations(value)
            case "users": usersFile = string(value, "users (the path of a users file)")
            default: personas = sequence(value, "personas")?.compactMap { persona($0) } ?? []
            }
        }
        if name == nil { fail(node, "the scenario needs a name (name: my-scenario)") }
        if !pairs.contains(where: { $0.key == "personas" }) { fail(node, "the scenario needs personas (a list, each with a name and steps)") }
        guard let name else { return nil }
        return Scenario(name: name, summary: summary, personas: personas, load: load, criteria: criteria, chaos: chaos,
                        expectations: expectations)
    }

    mutating func persona(_ node: Node) -> Persona? {
        guard let pairs = mapping(node, "a persona", allowed: Self.personaKeys) else { return nil }
        var name: String?, weight = 1, identity = Persona.Identity.phone, steps: [Step]?
        for (key, _, value) in pairs {
            switch key {
            case "name": name = string(value, "a persona's name")
            case "weight": weight = int(value, "a persona's weight", atLeast: 1) ?? 1
            case "identity":
                switch string(value, "identity") {
                case "phone": identity = .phone
                case "username-only": identity = .usernameOnly
                case let other?: fail(value, "identity must be phone or username-only (got '\(other)')")
                case nil: break
                }
            default: steps = self.steps(value)
            }
        }
        guard let name else { fail(node, "a persona needs a name"); return nil }
        guard let steps else { fail(node, "persona '\(name)' needs steps (a list)"); return nil }
        return Persona(name: name, weight: weight, identity: identity, journey: steps)
    }

    mutating func load(_ node: Node) -> LoadProfile? {
        guard let pairs = mapping(node, "load", allowed: Self.loadKeys) else { return nil }
        var users: Int?, rate: Double?, stages: [LoadProfile.Stage]?, duration: Duration?, cap: Int?
        for (key, _, value) in pairs {
            switch key {
            case "users": users = int(value, "load.users", atLeast: 1)
            case "arrivals": rate = double(value, "load.arrivals (conversations per second)")
            case "duration": duration = self.duration(value, "load.duration")
            case "maxInFlight": cap = int(value, "load.maxInFlight", atLeast: 1)
            default: stages = sequence(value, "load.stages")?.compactMap { stage($0) }
            }
        }
        let shapes = [users != nil, rate != nil, stages != nil].filter { $0 }.count
        guard shapes == 1 else { fail(node, "load takes one of users, arrivals or stages"); return nil }
        if let stages { return .stages(stages, maxInFlight: cap) }
        guard let duration else { fail(node, "load needs a duration (duration: 60s)"); return nil }
        if let users { return .users(users, for: duration) }
        return rate.map { .arrivals(perSecond: $0, for: duration, maxInFlight: cap) }
    }

    private mutating func stage(_ node: Node) -> LoadProfile.Stage? {
        guard let pairs = mapping(node, "a stage", allowed: ["duration", "rate"]) else { return nil }
        var duration: Duration?, rate: Double?
        for (key, _, value) in pairs {
            if key == "duration" { duration = self.duration(value, "a stage's duration") } else { rate = double(value, "a stage's rate") }
        }
        guard let duration, let rate else { fail(node, "a stage needs a duration and a rate (conversations per second)"); return nil }
        return LoadProfile.Stage(duration, perSecond: rate)
    }

    mutating func criteria(_ node: Node) -> [String] {
        guard let texts = strings(node, "criteria") else { return [] }
        do { _ = try CriteriaSpec(texts.joined(separator: ",")) } catch { fail(node, "criteria: \(error.description)") }
        return texts
    }

    mutating func chaos(_ node: Node) -> ChaosPlan {
        guard let texts = strings(node, "chaos") else { return ChaosPlan() }
        do { return try ChaosPlan.parse(texts.joined(separator: ",")) } catch {
            fail(node, "chaos: \(error.description)")
            return ChaosPlan()
        }
    }
}
