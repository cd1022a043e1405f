/// Where a smoke test runs; production gets hard caps.
public enum SmokeEnvironment: String, Sendable, Hashable, Codable, CaseIterable {
    case staging, prod
}

/// What a smoke test asks to do: the parts the caps look at.
public struct SmokeRequest: Sendable, Hashable {
    /// Concurrent test users in the measured load.
    public var users: Int
    /// How long the measured load lasts.
    public var duration: Duration
    /// The shortest pause between one user's messages.
    public var minThinkTime: Duration
    /// Whether failure patterns would be injected (`--chaos`), and whether by the scenario's own plan.
    public var chaos: Bool
    public var scenarioChaos: Bool = false
    /// Whether the scenario sends bursts (several messages back to back), or duplicates / batches.
    public var bursts: Bool

    /// Creates a request.
    public init(users: Int, duration: Duration, minThinkTime: Duration, chaos: Bool = false, bursts: Bool = false) {
        self.users = users
        self.duration = duration
        self.minThinkTime = minThinkTime
        self.chaos = chaos
        self.bursts = bursts
    }
}

/// The limits a smoke test stays inside, as values: production's are small enough that a smoke test
/// can never look like an incident, and cannot be exceeded without `--override-prod-caps`.
///
/// ```swift
/// SmokeCaps.prod.violations(of: SmokeRequest(users: 10, duration: .seconds(60), minThinkTime: .seconds(3)))
/// // ["--users 10 exceeds 5"]
/// ```
public struct SmokeCaps: Sendable, Hashable {
    /// Most concurrent users.
    public var maxUsers: Int
    /// Longest measured load.
    public var maxDuration: Duration
    /// Shortest pause between one user's messages: keeps each number well under a per-user rate
    /// limit (EasyMO core: 30 messages a minute).
    public var minThinkTime: Duration
    /// Whether chaos may be injected.
    public var allowsChaos: Bool
    /// Whether bursts, duplicates and batches may be sent.
    public var allowsBursts: Bool

    /// Production: a handful of users, at most two minutes, at most 20 messages a minute per number,
    /// no chaos, no bursts.
    public static let prod = SmokeCaps(maxUsers: 5, maxDuration: .seconds(120), minThinkTime: .seconds(3),
                                       allowsChaos: false, allowsBursts: false)
    /// Staging: looser, still bounded.
    public static let staging = SmokeCaps(maxUsers: 100, maxDuration: .seconds(600), minThinkTime: .zero,
                                          allowsChaos: true, allowsBursts: true)

    /// The caps of `env`.
    public static func of(_ env: SmokeEnvironment) -> SmokeCaps {
        switch env {
        case .staging: staging
        case .prod: prod
        }
    }

    /// Every way `request` exceeds these caps, one phrase each (empty: inside the caps).
    public func violations(of request: SmokeRequest) -> [String] {
        var out: [String] = []
        if request.users > maxUsers { out.append("--users \(request.users) exceeds \(maxUsers)") }
        if request.duration > maxDuration {
            out.append("--duration \(Self.seconds(request.duration)) s exceeds \(Self.seconds(maxDuration)) s")
        }
        if request.minThinkTime < minThinkTime {
            out.append("--think-time below \(Self.seconds(minThinkTime)) s (at most \(60 / max(1, Self.seconds(minThinkTime))) messages a minute per number)")
        }
        if request.chaos, !allowsChaos { out.append("--chaos is not allowed") }
        if request.scenarioChaos, !allowsChaos { out.append("the scenario's own chaos plan is not allowed") }
        if request.bursts, !allowsBursts { out.append("bursts, duplicates and batches are not allowed") }
        return out
    }

    /// Checks `request`; with `override` the violations are returned for logging instead of thrown.
    public func check(_ request: SmokeRequest, env: SmokeEnvironment, override: Bool) throws(SmokeError) -> [String] {
        let found = violations(of: request)
        if !found.isEmpty, !override { throw .capsExceeded(env: env, violations: found) }
        return found
    }

    static func seconds(_ d: Duration) -> Int { Int(d.components.seconds) }
}
