/// A scenario mistake the user must fix; each case prints as one clear sentence.
public enum ScenarioError: Error, Equatable, CustomStringConvertible {
    case noPersonas(scenario: String)
    case duplicatePersona(scenario: String, persona: String)
    case nonPositiveWeight(scenario: String, persona: String, weight: Int)
    case emptyJourney(scenario: String, persona: String)
    case noSend(scenario: String, persona: String)
    case emptyText(scenario: String, persona: String, step: Int)
    case badThink(scenario: String, persona: String, step: Int)
    case badRegex(scenario: String, persona: String, step: Int, pattern: String)
    case nonPositiveUsers(scenario: String, users: Int)
    case nonPositiveRate(scenario: String, rate: Double)
    case nonPositiveDuration(scenario: String)
    case unknownScenario(String, known: [String])
    /// Two scenarios of one program share a name (yours and a built-in one, or two of yours).
    case duplicateScenario(String)
    case badCriteria(scenario: String, reason: String)

    public var description: String {
        switch self {
        case .duplicateScenario(let s): "two scenarios are named '\(s)' (built-in ones included: see 'loadgen list'); give yours another name"
        case .noPersonas(let s): "scenario '\(s)' has no personas: add at least one Persona"
        case .duplicatePersona(let s, let p): "scenario '\(s)' has two personas named '\(p)'"
        case .nonPositiveWeight(let s, let p, let w): "scenario '\(s)', persona '\(p)': weight must be at least 1 (got \(w))"
        case .emptyJourney(let s, let p): "scenario '\(s)', persona '\(p)': the journey is empty; add at least one Send step"
        case .noSend(let s, let p): "scenario '\(s)', persona '\(p)': the journey never sends a message; add a Send step"
        case .emptyText(let s, let p, let step):
            "scenario '\(s)', persona '\(p)', step \(step): Send.text needs at least one non-empty body"
        case .badThink(let s, let p, let step):
            "scenario '\(s)', persona '\(p)', step \(step): think time must be non-negative with min ≤ max"
        case .badRegex(let s, let p, let step, let pattern):
            "scenario '\(s)', persona '\(p)', step \(step): invalid regular expression /\(pattern)/"
        case .nonPositiveUsers(let s, let n): "scenario '\(s)': users must be at least 1 (got \(n))"
        case .nonPositiveRate(let s, let r): "scenario '\(s)': the arrival rate must be above 0 (got \(r))"
        case .nonPositiveDuration(let s): "scenario '\(s)': the duration must be above 0"
        case .badCriteria(let s, let reason): "scenario '\(s)': \(reason)"
        case .unknownScenario(let name, let known):
            "unknown scenario '\(name)' (known: \(known.joined(separator: ", ")); see 'loadgen list')"
        }
    }
}

extension Scenario {
    /// The scenario, if it can run; otherwise the first mistake.
    public func validated() throws(ScenarioError) -> Scenario {
        guard !personas.isEmpty else { throw .noPersonas(scenario: name) }
        var seen: Set<String> = []
        for persona in personas {
            guard seen.insert(persona.name).inserted else { throw .duplicatePersona(scenario: name, persona: persona.name) }
            guard persona.weight >= 1 else {
                throw .nonPositiveWeight(scenario: name, persona: persona.name, weight: persona.weight)
            }
            guard !persona.journey.isEmpty else { throw .emptyJourney(scenario: name, persona: persona.name) }
            guard Self.sends(persona.journey) else { throw .noSend(scenario: name, persona: persona.name) }
            var number = 0
            try check(persona.journey, persona: persona.name, number: &number)
        }
        if !criteria.isEmpty {
            do { _ = try CriteriaSpec(criteria.joined(separator: ",")) } catch { throw .badCriteria(scenario: name, reason: error.description) }
        }
        switch load {
        case .users(let n, let d)?:
            guard n >= 1 else { throw .nonPositiveUsers(scenario: name, users: n) }
            guard d > .zero else { throw .nonPositiveDuration(scenario: name) }
        case .arrivals(let rate, let d, _)?:
            guard rate > 0 else { throw .nonPositiveRate(scenario: name, rate: rate) }
            guard d > .zero else { throw .nonPositiveDuration(scenario: name) }
        case .stages(let stages, _)?:
            guard stages.contains(where: { $0.duration > .zero }) else { throw .nonPositiveDuration(scenario: name) }
            if let bad = stages.first(where: { $0.perSecond < 0 }) { throw .nonPositiveRate(scenario: name, rate: bad.perSecond) }
        case nil: break
        }
        return self
    }

    private static func sends(_ steps: [Step]) -> Bool {
        steps.contains { step in
            switch step {
            case .send: true
            case .branch(_, let a, let b): sends(a) || sends(b)
            default: false
            }
        }
    }

    /// Checks steps depth-first; `number` counts steps as the user reads them (1-based, branches inline).
    private func check(_ steps: [Step], persona: String, number: inout Int) throws(ScenarioError) {
        for step in steps {
            number += 1
            switch step {
            case .send(.text(let bodies)) where bodies.isEmpty || bodies.contains(where: \.isEmpty),
                 .send(.burst(let bodies)) where bodies.count < 2 || bodies.contains(where: \.isEmpty):
                throw .emptyText(scenario: name, persona: persona, step: number)
            case .think(let lo, let hi) where lo < .zero || hi < lo:
                throw .badThink(scenario: name, persona: persona, step: number)
            case .expectReply(_, let matcher):
                if let bad = matcher.invalidPattern { throw .badRegex(scenario: name, persona: persona, step: number, pattern: bad) }
            case .branch(let matcher, let a, let b):
                if let bad = matcher.invalidPattern { throw .badRegex(scenario: name, persona: persona, step: number, pattern: bad) }
                try check(a, persona: persona, number: &number)
                try check(b, persona: persona, number: &number)
            default: continue
            }
        }
    }
}
