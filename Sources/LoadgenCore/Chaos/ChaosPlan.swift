/// The faults a run injects: each a pattern, its schedule, and optionally its own fault shape and
/// expectation (targets with other wording override the matcher).
///
/// ```swift
/// Scenario("drill", summary: "…", chaos: [
///     .inject(.aiServiceDown, rate: 0.2, from: .seconds(60), to: .seconds(120)),
///     .inject(.timeout, rate: 0.1),
/// ]) { … }
/// ```
/// On the command line: `--chaos ai-service-down=0.2@60s-120s,timeout=0.1`.
public struct ChaosPlan: Sendable, Hashable, ExpressibleByArrayLiteral {
    public var faults: [Fault]

    public init(faults: [Fault] = []) { self.faults = faults }
    public init(arrayLiteral faults: Fault...) { self.faults = faults }

    /// Whether the plan injects nothing.
    public var isEmpty: Bool { faults.isEmpty }

    /// The plan judged by `expectations`: a fault that expects what its pattern expects of EasyMO (no
    /// expectation of its own) expects the scenario's graceful reply for the pattern instead.
    public func judged(by expectations: Expectations) -> ChaosPlan {
        ChaosPlan(faults: faults.map { f in
            var f = f
            if f.expected == f.pattern.expected { f.expected = expectations.graceful(for: f.pattern) }
            return f
        })
    }

    /// For a clean turn at `elapsed`, how long after each closed fault window it came (by fault index):
    /// the candidates for each window's recovery time (the earliest one wins).
    public func recoveryCandidates(at elapsed: Duration) -> [(fault: Int, after: Duration)] {
        faults.indices.compactMap { i in
            guard let end = faults[i].schedule.window?.upperBound, elapsed >= end else { return nil }
            return (i, elapsed - end)
        }
    }

    /// The run's phase at `elapsed`: `fault` while any fault is on, `recovery` once a window has closed
    /// (until another opens), `baseline` before the first.
    public func phase(at elapsed: Duration) -> FaultSchedule.Phase {
        let phases = faults.map { $0.schedule.phase(at: elapsed) }
        if phases.contains(.fault) { return .fault }
        return phases.contains(.recovery) ? .recovery : .baseline
    }

    /// How long the run spent in each phase up to `elapsed` (exact: the phase is constant between
    /// window boundaries), for per-phase rates.
    public func phaseDurations(upTo elapsed: Duration) -> [FaultSchedule.Phase: Duration] {
        var cuts = Set([Duration.zero, elapsed])
        for fault in faults {
            if let w = fault.schedule.window {
                for t in [w.lowerBound, w.upperBound] where t > .zero && t < elapsed { cuts.insert(t) }
            }
        }
        let sorted = cuts.sorted()
        var durations: [FaultSchedule.Phase: Duration] = [:]
        for (from, to) in zip(sorted, sorted.dropFirst()) where to > from {
            durations[phase(at: from + (to - from) / 2), default: .zero] += to - from
        }
        return durations
    }

    /// One pattern's injection.
    public struct Fault: Sendable, Hashable {
        public var pattern: FailurePattern
        public var schedule: FaultSchedule
        public var shape: FaultShape
        public var expected: ReplyMatcher

        /// Where it acts: the pattern's site, or the traffic for a fault the users play (a burst).
        public var site: InjectionSite { shape.isTrafficSide ? .traffic : pattern.site }

        public init(pattern: FailurePattern, schedule: FaultSchedule, shape: FaultShape? = nil, expected: ReplyMatcher? = nil) {
            self.pattern = pattern
            self.schedule = schedule
            self.shape = shape ?? pattern.defaultFault
            self.expected = expected ?? pattern.expected
        }

        /// `pattern` at `rate` (0…1), between `from` and `to` when given (else the whole run).
        public static func inject(
            _ pattern: FailurePattern, rate: Double, from: Duration? = nil, to: Duration? = nil, shape: FaultShape? = nil,
            expecting: ReplyMatcher? = nil
        ) -> Fault {
            let window: Range<Duration>? = (from != nil || to != nil) ? (from ?? .zero) ..< (to ?? .seconds(86_400 * 365)) : nil
            return Fault(pattern: pattern, schedule: FaultSchedule(rate: rate, window: window), shape: shape, expected: expecting)
        }
    }

    /// Parses `--chaos`: `PATTERN[:burst[N]]=RATE[@START-END]` items separated by commas; RATE is a
    /// fraction or a percentage, START and END times such as `60s` or `2m` (END may be left out: until
    /// the end). `network-issues:burst` is the traffic-side variant: a hit user floods the bot with N
    /// messages (35 by default, past EasyMO's 30 a minute) after its turn.
    public static func parse(_ text: String) throws(ChaosPlanError) -> ChaosPlan {
        var faults: [Fault] = []
        for raw in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = raw.trimmingSpaces
            guard !item.isEmpty else { throw .empty }
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw .badItem(item) }
            let nameAndShape = parts[0].trimmingSpaces.split(separator: ":", maxSplits: 1).map(String.init)
            guard let pattern = FailurePattern(rawValue: nameAndShape[0]) else {
                throw .unknownPattern(nameAndShape[0], known: FailurePattern.allCases.map(\.rawValue))
            }
            var shape: FaultShape?
            if nameAndShape.count == 2 {
                let spec = nameAndShape[1]
                guard pattern == .networkIssues, spec.hasPrefix("burst"),
                      let n = spec == "burst" ? 35 : Int(spec.dropFirst(5)), (2...1000).contains(n) else { throw .badShape(item) }
                shape = .rateLimitBurst(messages: n)
            }
            let rateAndWindow = parts[1].split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            var rateText = rateAndWindow[0].trimmingSpaces
            var scale = 1.0
            if rateText.hasSuffix("%") { rateText.removeLast(); scale = 0.01 }
            guard let r = Double(rateText), r.isFinite, (0...1).contains(r * scale) else { throw .badRate(item) }
            var window: Range<Duration>?
            if rateAndWindow.count == 2 {
                let bounds = rateAndWindow[1].split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                guard !bounds[0].trimmingSpaces.isEmpty, let start = DurationText.parse(bounds[0]) else { throw .badWindow(item) }
                let end = bounds.count == 2 && !bounds[1].isEmpty ? DurationText.parse(bounds[1]) : .seconds(86_400 * 365)
                guard let end, end > start else { throw .badWindow(item) }
                window = start ..< end
            }
            faults.append(Fault(pattern: pattern, schedule: FaultSchedule(rate: r * scale, window: window), shape: shape))
        }
        return ChaosPlan(faults: faults)
    }

}

/// A mistake in `--chaos`.
public enum ChaosPlanError: Error, Equatable, CustomStringConvertible {
    case empty
    case badItem(String)
    case unknownPattern(String, known: [String])
    case badRate(String)
    case badWindow(String)
    case badShape(String)

    public var description: String {
        switch self {
        case .empty: "--chaos has an empty item; write PATTERN=RATE[@START-END] items separated by commas"
        case .badItem(let i): "cannot read '\(i)' in --chaos: write PATTERN=RATE[@START-END], e.g. ai-service-down=0.2@60s-120s"
        case .unknownPattern(let p, let known): "unknown failure pattern '\(p)' (patterns: \(known.joined(separator: ", ")); see 'loadgen list patterns')"
        case .badRate(let i): "the rate in '\(i)' must be a fraction from 0 to 1 or a percentage, e.g. 0.2 or 20%"
        case .badWindow(let i): "the window in '\(i)' must be START-END with END after START, e.g. @60s-120s"
        case .badShape(let i):
            "cannot read the variant in '\(i)': the only one is network-issues:burst (a user floods 35 messages) or network-issues:burstN with N from 2 to 1000"
        }
    }
}
