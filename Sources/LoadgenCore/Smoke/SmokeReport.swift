/// The smoke test's own section of report.json (absent for other runs): where it ran, how its traffic
/// was tagged, which test numbers it used and where they fall in the rollout, and any cap override.
public struct SmokeReport: Sendable, Codable, Equatable {
    /// `staging` or `prod`.
    public var env: SmokeEnvironment
    /// The run id every delivery carries in `tagHeader`.
    public var runID: String
    /// The header that tags every delivery, e.g. `X-Loadgen-Smoke`.
    public var tagHeader: String
    /// The profile name every delivery carries in `contacts[].profile.name`.
    public var profileName: String
    /// The test numbers used (digits, as in `messages[].from`).
    public var testNumbers: [String]
    /// The rollout percentage and each number's bucket (nil without `--rollout-percent`).
    public var rollout: Rollout?
    /// The caps that were exceeded with `--override-prod-caps` (empty: none).
    public var capsOverridden: [String]

    /// The rollout section.
    public struct Rollout: Sendable, Codable, Equatable {
        public var percent: Int
        public var numbers: [RolloutSelection.Entry]
        public init(percent: Int, numbers: [RolloutSelection.Entry]) {
            self.percent = percent
            self.numbers = numbers
        }
    }

    /// Creates the section.
    public init(env: SmokeEnvironment, runID: String, tagHeader: String, profileName: String, testNumbers: [String], rollout: Rollout?,
                capsOverridden: [String]) {
        self.env = env
        self.runID = runID
        self.tagHeader = tagHeader
        self.profileName = profileName
        self.testNumbers = testNumbers
        self.rollout = rollout
        self.capsOverridden = capsOverridden
    }
}
