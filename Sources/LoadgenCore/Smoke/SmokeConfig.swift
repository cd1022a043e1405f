/// What the user asked a smoke test to be (`loadgen smoke` flags), as typed values. `validated()` applies
/// the environment's caps and the allow-list and yields a `SmokePlan`.
public struct SmokeConfig: Sendable {
    public var env: SmokeEnvironment = .staging
    /// The measured load's scenario.
    public var scenario: Scenario
    public var target: TargetURL?
    /// Health endpoints to check (the embedded bot's own is always checked when there is no target).
    public var health: [TargetURL] = []
    /// A PEM file of certificates to trust for an HTTPS target and health URLs besides the system's.
    public var targetCA: String?
    /// The allow-listed test numbers' file (required in production), and what it lists once read.
    public var testNumbersFile: String?
    public var testNumbers: TestNumbers?
    /// The rollout flag's percentage: numbers inside it are used first.
    public var rolloutPercent: Int?
    /// Concurrent test users (default: the test numbers, at most 5).
    public var users: Int?
    public var duration: Duration = .seconds(20)
    public var thinkTime: ClosedRange<Duration> = .seconds(3) ... .seconds(5)
    public var replyTimeout: Duration = .seconds(10)
    public var ackTimeout: Duration = .seconds(5)
    /// The measured load's criteria; failed checks always fail the smoke test.
    public var criteria: CriteriaSpec
    public var replies: ReplyMode = .any
    public var graphListen = HostPort(host: "127.0.0.1", port: 0)
    /// Reply capture by HTTPS interception (`--graph-proxy`), as in a run.
    public var graphProxy: GraphProxySpec?
    public var business: BusinessIdentity = .default
    /// Staging only.
    public var chaos: ChaosPlan?
    public var overrideProdCaps = false
    public var report = ReportPlan()
    public var seed: UInt64 = 1
    /// Test switch: the embedded bot stops checking signatures, so the signature check can be seen failing.
    public var botVerifiesSignatures = true
    /// Message-id salt (`Wamid.randomSalt()`); it also names the run (`smoke-<hex>`).
    public var wamidSalt: UInt64 = 0

    /// The header that tags every smoke request with the run id.
    public static let tagHeader = "X-Loadgen-Smoke"
    /// The profile name (`contacts[].profile.name`) of every smoke delivery.
    public static let profileName = "loadgen-smoke"

    public init(scenario: Scenario, criteria: CriteriaSpec) {
        self.scenario = scenario
        self.criteria = criteria
    }

    /// The caps of the environment.
    public var caps: SmokeCaps { SmokeCaps.of(env) }

    /// What the caps judge: the load as asked (users default to the caps' maximum until the numbers are known).
    public func request(users: Int? = nil) -> SmokeRequest {
        var r = SmokeRequest(users: users ?? self.users ?? min(5, caps.maxUsers), duration: duration, minThinkTime: thinkTime.lowerBound,
                             chaos: chaos != nil, bursts: scenario.sendsBursts)
        r.scenarioChaos = chaos == nil && !scenario.chaos.isEmpty
        return r
    }

    /// Checks that depend on no file: they run when the flags are parsed.
    public func checkFlags() throws(ConfigError) {
        for (flag, url) in [("--target", target)] + health.map({ ("--health", Optional($0)) }) {
            if let refusal = url?.credentialsRefusal(flag) { throw ConfigError(refusal) }
        }
        try TargetURL.checkTargetCA(targetCA, for: [target].compactMap { $0 } + health)
        _ = try graphProxy?.validated()
        if let users, users < 1 { throw ConfigError("--users must be at least 1 (got \(users))") }
        guard duration > .zero else { throw ConfigError("--duration must be a positive time such as 20s or 2m (got '\(DurationText.format(duration))')") }
        for (flag, value) in [("--reply-timeout", replyTimeout), ("--ack-timeout", ackTimeout)] where !(value > .zero && value <= RunConfig.maxTimeout) {
            throw ConfigError("\(flag) must be a positive time up to 120s (got '\(DurationText.format(value))')")
        }
        if let rolloutPercent, !(0...100).contains(rolloutPercent) {
            throw ConfigError("--rollout-percent must be between 0 and 100 (got \(rolloutPercent))")
        }
        if !(chaos ?? scenario.chaos).isEmpty, target != nil {
            throw ConfigError("chaos in a smoke test (--chaos, or the scenario's own plan) needs the embedded bot (its stand-in upstreams)")
        }
        if !botVerifiesSignatures, target != nil {
            throw ConfigError("--insecure-bot-skips-signature-check switches off the embedded bot's check; it cannot be used with --target")
        }
        if env == .prod {
            guard testNumbersFile != nil else {
                throw ConfigError("--env prod needs --test-numbers FILE: only allow-listed test numbers may write to a production bot")
            }
            if target != nil, health.isEmpty {
                throw ConfigError("--env prod needs at least one --health URL (the runbook's gate: the worker reports status ok)")
            }
        }
        do { _ = try caps.check(request(), env: env, override: overrideProdCaps) } catch { throw ConfigError(error.description) }
    }
}

/// A smoke test ready to go: the run it measures, the checklist's inputs, and the report's smoke section.
public struct SmokePlan: Sendable {
    /// The measured load and its wiring (the users are the test numbers).
    public let run: RunPlan
    /// Health URLs given with `--health`, probed after the embedded bot's own.
    public let healthURLs: [TargetURL]
    /// Where the test numbers fall in the rollout (nil without `--rollout-percent`).
    public let rollout: RolloutSelection?
    /// Production: a failed check stops the smoke test before its measured load.
    public let stopOnFailure: Bool
    /// report.json's `smoke` section.
    public let report: SmokeReport
    /// Lines to say before the run: rollout buckets, cap overrides, the run id.
    public let notices: [String]
}
