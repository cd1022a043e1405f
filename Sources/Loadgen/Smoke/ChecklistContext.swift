import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime

/// What a checklist gets from the harness: the run's own wiring, so the checks speak to the same
/// target, with the same secrets, and see replies through the same stand-in Graph API as the load.
struct ChecklistContext: Sendable {
    /// Pooled connections to the target's origin.
    var client: HTTPClient
    /// The webhook URL.
    var target: TargetURL
    var appSecret: Secret
    var verifyToken: Secret?
    /// The embedded bot's health URL (nil for an external target).
    var healthURL: TargetURL?
    /// Matches the bot's Graph API sends to the users' open turns.
    var correlator: ReplyCorrelator<ContinuousClock.Instant>
    /// The run's users (the allow-listed test numbers, preferred ones first).
    var users: [SimulatedUser]
    var plan: RunPlan
    /// The embedded bot's upstream calls by correlation id (nil: not observable).
    var upstreamCalls: UpstreamCallLog?
    /// The tag every delivery carries.
    var deliveryHeaders: [String: String]
    var ackTimeout: Duration
    var log: @Sendable (String) -> Void
}

/// What a checklist found: its checks in order, and the target's health (nil: not probed).
struct ChecklistOutcome: Sendable {
    var checks: [Report.ScriptedCheck]
    var healthOK: Bool?
    /// Why the measured load must not run (a production target that failed a check), if it must not.
    var skipLoad: String? = nil
}
