import LoadgenCore

/// The scenarios compiled into loadgen; `loadgen list` prints them.
public enum BuiltInScenarios {
    /// Every built-in scenario, in the order `loadgen list` shows them.
    public static let all: [Scenario] = [generic, easymoSmoke, easymoJourneys, stagingLoad, ninePatterns, nightlyRegression]

    /// The scenario called `name`, validated.
    public static func named(_ name: String) throws(ScenarioError) -> Scenario {
        guard let scenario = all.first(where: { $0.name == name }) else {
            throw .unknownScenario(name, known: all.map(\.name))
        }
        return try scenario.validated()
    }
}
