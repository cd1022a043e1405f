import Foundation

/// A named group of criteria: a preset from EasyMO's runbooks, or the user's own thresholds.
public struct CriteriaSet: Sendable, Hashable {
    /// `staging`, `prod`, … or `custom`.
    public var name: String
    /// The checks.
    public var criteria: [Criterion]
    /// What a failure means: `fail` for gates, `rollback` for tripwires.
    public var onFailure: Verdict

    /// Creates a set.
    public init(name: String, criteria: [Criterion], onFailure: Verdict = .fail) {
        self.name = name
        self.criteria = criteria
        self.onFailure = onFailure
    }

    /// The presets of DESIGN.md, from EasyMO's runbooks.
    public static let presets: [CriteriaSet] = [
        CriteriaSet(name: "staging", criteria: [
            Criterion(.errorRate, .lessThan, 0.02), Criterion(.replyP95, .lessThan, 500),
            Criterion(.checksFailed, .atMost, 0), Criterion(.arrivalsDropped, .atMost, 0),
        ]),
        CriteriaSet(name: "prod", criteria: [
            Criterion(.successRate, .greaterThan, 0.99), Criterion(.replyP95, .lessThan, 1000),
            Criterion(.fallbackRate, .lessThan, 0.10), Criterion(.errorRate, .lessThan, 0.01),
            Criterion(.health, .atLeast, 1),
        ]),
        CriteriaSet(name: "promote", criteria: [
            Criterion(.replyP95, .lessThan, 400), Criterion(.http5xxRate, .lessThan, 0.005),
        ]),
        CriteriaSet(name: "rollback", criteria: [
            Criterion(.errorRate, .atMost, 0.05), Criterion(.fallbackRate, .atMost, 0.30),
            Criterion(.replyP95, .atMost, 2000),
        ], onFailure: .rollback),
        CriteriaSet(name: "meta-webhook", criteria: [
            Criterion(.ackP50, .atMost, 250), Criterion(.ackOver1s, .lessThan, 0.01),
        ]),
    ]

    /// The preset names, for help text and errors.
    public static var presetNames: [String] { presets.map(\.name) }

    /// Parses `--criteria`: preset names and custom thresholds, comma-separated, e.g.
    /// `staging,reply.p99<800ms,errorRate<1%`. Custom thresholds are gathered into one `custom` set.
    public static func parse(_ text: String) throws(CriteriaError) -> [CriteriaSet] {
        var sets: [CriteriaSet] = []
        var custom: [Criterion] = []
        for raw in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = raw.trimmingSpaces
            guard !item.isEmpty else { throw .empty }
            if let preset = presets.first(where: { $0.name == item }) {
                sets.append(preset)
            } else if item.contains(where: { "<>=".contains($0) }) {
                custom.append(try Criterion.parse(item))
            } else {
                throw .unknownPreset(item, known: presetNames)
            }
        }
        if !custom.isEmpty { sets.append(CriteriaSet(name: "custom", criteria: custom)) }
        return sets
    }
}

/// A mistake in `--criteria`.
public enum CriteriaError: Error, Equatable, CustomStringConvertible {
    case empty
    case unknownPreset(String, known: [String])
    case unknownMetric(String, known: [String])
    case badThreshold(String)
    case unknownPattern(String, String)
    case notPerPattern(String)

    public var description: String {
        switch self {
        case .empty: "--criteria has an empty item; give preset names or thresholds separated by commas"
        case .unknownPreset(let name, let known):
            "unknown criteria preset '\(name)' (presets: \(known.joined(separator: ", ")); or a threshold like reply.p95<500ms)"
        case .unknownMetric(let name, let known):
            "unknown metric '\(name)' in --criteria (metrics: \(known.joined(separator: ", ")))"
        case .unknownPattern(let name, let item):
            "unknown failure pattern '\(name)' in '\(item)' (see 'loadgen list patterns')"
        case .notPerPattern(let item):
            "'\(item)': only the chaos metrics take a [PATTERN] (chaos.activation.p95[timeout]<5s) and errorRate a [JOURNEY] (errorRate[buyer]<2%)"
        case .badThreshold(let item):
            "cannot read the threshold in '\(item)': write a value from 0 (rates up to 100 %), e.g. reply.p95<500ms, errorRate<2%, successRate>0.99"
        }
    }
}

extension Criterion {
    /// Parses `metric<op><value>` with optional unit: `ms`/`s` for latencies, `%` for rates.
    static func parse(_ item: String) throws(CriteriaError) -> Criterion {
        let ops: [Comparison] = [.atMost, .atLeast, .lessThan, .greaterThan]  // two-character ones first
        for op in ops {
            guard let range = item.range(of: op.rawValue) else { continue }
            var name = String(item[..<range.lowerBound]).trimmingSpaces
            var value = String(item[range.upperBound...]).trimmingSpaces
            var qualifier: String?
            if let open = name.firstIndex(of: "["), name.hasSuffix("]") {
                qualifier = String(name[name.index(after: open)..<name.index(before: name.endIndex)])
                name = String(name[..<open])
            }
            guard let metric = CriterionMetric(rawValue: name) else {
                throw .unknownMetric(name, known: CriterionMetric.allCases.map(\.rawValue))
            }
            var pattern: FailurePattern?
            var journey: String?
            if let qualifier {
                if metric.isPerPattern {
                    guard let p = FailurePattern(rawValue: qualifier) else { throw .unknownPattern(qualifier, item) }
                    pattern = p
                } else if metric == .errorRate, !qualifier.isEmpty {
                    journey = qualifier
                } else {
                    throw .notPerPattern(item)
                }
            }
            if metric.isLatency, value.last?.isLetter == true {  // a time with a unit: 500ms, 2s
                guard let time = DurationText.parse(value) else { throw .badThreshold(item) }
                return Criterion(metric, op, time.inSeconds * 1000, pattern: pattern, journey: journey)
            }
            var scale = 1.0
            if value.hasSuffix("%") { value.removeLast(); scale = 0.01 }
            guard let number = Double(value.trimmingSpaces), number.isFinite, number >= 0 else { throw .badThreshold(item) }
            if metric.isRate, number * scale > 1 { throw .badThreshold(item) }  // a share is at most 100 %
            return Criterion(metric, op, number * scale, pattern: pattern, journey: journey)
        }
        throw .badThreshold(item)
    }
}
