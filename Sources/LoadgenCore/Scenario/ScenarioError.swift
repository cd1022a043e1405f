/// A scenario mistake the user must fix; each case prints as one clear sentence.
public enum ScenarioError: Error, Equatable, CustomStringConvertible {
    case emptyJourney(scenario: String)
    case noSend(scenario: String)
    case emptyText(scenario: String, step: Int)
    case badThink(scenario: String, step: Int)
    case unknownScenario(String, known: [String])

    public var description: String {
        switch self {
        case .emptyJourney(let s): "scenario '\(s)' has an empty journey: add at least one .send step"
        case .noSend(let s): "scenario '\(s)' never sends a message: add at least one .send step"
        case .emptyText(let s, let step): "scenario '\(s)', step \(step): .text needs at least one non-empty body"
        case .badThink(let s, let step): "scenario '\(s)', step \(step): think time must be non-negative with min ≤ max"
        case .unknownScenario(let name, let known):
            "unknown scenario '\(name)' (known: \(known.joined(separator: ", ")); see 'loadgen list')"
        }
    }
}

extension Scenario {
    /// The scenario, if it can run; otherwise the first mistake.
    public func validated() throws(ScenarioError) -> Scenario {
        guard !journey.isEmpty else { throw .emptyJourney(scenario: name) }
        guard turnsPerJourney > 0 else { throw .noSend(scenario: name) }
        for (i, step) in journey.enumerated() {
            switch step {
            case .send(.text(let bodies)) where bodies.isEmpty || bodies.contains(where: \.isEmpty):
                throw .emptyText(scenario: name, step: i + 1)
            case .think(let lo, let hi) where lo < .zero || hi < lo:
                throw .badThink(scenario: name, step: i + 1)
            default: continue
            }
        }
        return self
    }
}
