import Foundation

/// report.json, schema version 1: the source of truth of a run. Other formats are rendered from it.
///
/// Keys are a contract (DESIGN.md "Interfaces"): extend freely, change only with a schema bump.
/// Latencies are milliseconds; rates are fractions (0.02 = 2 %).
public struct Report: Sendable, Codable, Equatable {
    /// The schema this loadgen writes and reads.
    public static let currentSchemaVersion = 1
    public var schemaVersion = Report.currentSchemaVersion
    /// `pass`, `fail` or `rollback`.
    public var verdict: Verdict
    /// True when the run was stopped early (Ctrl-C); the numbers cover what ran.
    public var partial: Bool
    /// The rollback tripwire that stopped the run as it went: when, which, the value over its window
    /// (absent when none fired).
    public var tripped: Trip? = nil
    public var run: RunInfo
    public var totals: Totals
    public var latency: Latencies
    /// Every error class with its count (zeros included).
    public var errorsByClass: [String: UInt64]
    /// Per error class, what the target said when it refused turns: the first few distinct response
    /// bodies or failure reasons, truncated, secrets redacted (absent when it said nothing).
    public var errorSamples: [String: [String]]? = nil
    /// How the bot's Graph API sends matched the users' turns.
    public var replies: CorrelationCounters
    public var criteria: [CheckResult]
    /// Scripted checks run before the load (handshake, health).
    public var checks: [ScriptedCheck]
    /// Meta's at-least-once behaviour as played: duplicates, redeliveries, status callbacks.
    public var delivery: Delivery
    /// `loadgen smoke` only: environment, tagging, test numbers, rollout buckets, cap overrides (absent otherwise).
    public var smoke: SmokeReport? = nil
    /// With `--graph-limits` only: how often the bot hit each of Meta's limits (absent otherwise).
    public var graphLimits: GraphLimitCounts? = nil

    /// Chaos runs: per failure pattern, how the bot handled the turns it hit (empty without chaos).
    public var patterns: [PatternReport]
    /// Chaos runs: turns, errors, fallbacks and reply latency per phase (baseline, fault, recovery).
    public var phases: [String: PhaseReport]

    /// Open model only: how arrivals were launched (nil for the closed model).
    public var arrivals: Arrivals?
    /// Per persona: turns, errors and reply latency.
    public var personas: [Breakdown]
    /// Per persona and step (`3 choose row 0`): turns, errors and reply latency.
    public var steps: [Breakdown]
    /// The run interval by interval (nil in reports of loadgen before 0.2).
    public var timeline: Timeline?
    /// Chaos runs: when each fault of the plan was on, in plan order (empty without chaos).
    public var chaosWindows: [ChaosWindow]?
    /// Everything measured, histograms serialised exactly: what `loadgen merge` adds up and recomputes
    /// the report from (nil in reports of loadgen before 0.2).
    public var metrics: RunMetrics?

    /// The chaos plan the report was run with, as far as the report records it (patterns, rates, windows).
    public var chaosPlan: ChaosPlan { ChaosPlan(faults: (chaosWindows ?? []).compactMap(\.fault)) }

    /// The JSON bytes: pretty, keys sorted, so diffs between runs are readable.
    public func jsonBytes() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
