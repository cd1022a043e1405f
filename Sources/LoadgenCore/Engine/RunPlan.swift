/// Everything the engine needs to know to run: the scenario and the load, already validated.
public struct RunPlan: Sendable {
    /// The scenario each user repeats.
    public var scenario: Scenario
    /// Concurrent simulated users (closed model), or the cap on conversations in flight (open model).
    public var users: Int
    /// Open model: when conversations arrive (nil = closed model, `users` users looping their journeys).
    public var arrivals: ArrivalSchedule?
    /// How long users keep starting new turns.
    public var duration: Duration
    /// The pause after each turn, drawn uniformly from this range.
    public var thinkTime: ClosedRange<Duration>
    /// How long a reply may take, from the intended send time.
    public var replyTimeout: Duration
    /// Whether to wait for replies (`--replies any`) or judge acks only (`--replies none`).
    public var awaitReplies: Bool
    /// Seeds users, message choices and pauses.
    public var seed: UInt64
    /// Who the users write to.
    public var business: BusinessIdentity
    /// Send BSUID fields on every delivery (Meta does since April 2026).
    public var includeBSUID: Bool
    /// Optional bound on journeys per user (tests and smoke runs); nil = until the duration ends.
    public var journeysPerUser: Int?
    /// Which replies count as fallbacks.
    public var fallback: FallbackClassifier
    /// How often a plain progress line is printed when the output is not a terminal.
    public var progressInterval: Duration
    /// The timeline's resolution (report.json `timeline`); also how often progress is published.
    /// Runs longer than an hour use coarser intervals, so a timeline never exceeds 3,600 points.
    public var timelineInterval: Duration = .seconds(1)
    /// Meta's at-least-once behaviour: duplicate deliveries and retries of non-200 acks.
    public var delivery = DeliveryOptions()
    /// Payload templates by name, for `Send.template` steps.
    public var templates: [String: PayloadTemplate] = [:]
    /// The faults to inject (the scenario's, unless `--chaos` says otherwise).
    public var chaos = ChaosPlan()
    /// Added to every message's sequence number, so message ids differ between runs: a long-lived bot
    /// (production, for a smoke test) dedups ids it has seen before. Keep bits 0–47 zero; 0 = the ids
    /// of every run with the same users are the same. (`loadgen run` draws a fresh salt in bits 42–63.)
    public var wamidSalt: UInt64 = 0

    /// Creates a plan.
    public init(
        scenario: Scenario, users: Int, duration: Duration, thinkTime: ClosedRange<Duration> = .zero ... .zero,
        replyTimeout: Duration = .seconds(10), awaitReplies: Bool = true, seed: UInt64 = 1,
        business: BusinessIdentity = .default, includeBSUID: Bool = true, journeysPerUser: Int? = nil,
        fallback: FallbackClassifier = .easymo, progressInterval: Duration = .seconds(10)
    ) {
        self.scenario = scenario
        self.users = users
        self.duration = duration
        self.thinkTime = thinkTime
        self.replyTimeout = replyTimeout
        self.awaitReplies = awaitReplies
        self.seed = seed
        self.business = business
        self.includeBSUID = includeBSUID
        self.journeysPerUser = journeysPerUser
        self.fallback = fallback
        self.progressInterval = progressInterval
        arrivals = nil
    }

    /// An open-model plan: whole conversations arrive on `schedule`, at most `maxInFlight` at once
    /// (more are dropped and counted); each runs its persona's journey once.
    public static func open(
        scenario: Scenario, schedule: ArrivalSchedule, maxInFlight: Int, thinkTime: ClosedRange<Duration> = .zero ... .zero,
        replyTimeout: Duration = .seconds(10), awaitReplies: Bool = true, seed: UInt64 = 1, business: BusinessIdentity = .default
    ) -> RunPlan {
        var plan = RunPlan(scenario: scenario, users: maxInFlight, duration: schedule.duration, thinkTime: thinkTime,
                           replyTimeout: replyTimeout, awaitReplies: awaitReplies, seed: seed, business: business, journeysPerUser: 1)
        plan.arrivals = schedule
        return plan
    }

    /// One shard of a run split across processes (`--shard I/N`): this process simulates the users whose
    /// index is I modulo N (and 1/N of an open model's arrival rate). The shards' users together are
    /// exactly the whole run's, so their reports merge (`loadgen merge`) into the whole run.
    public var shard: Shard?

    public struct Shard: Sendable, Hashable, CustomStringConvertible {
        public var index: Int
        public var count: Int
        public init?(index: Int, count: Int) {
            guard count >= 1, (0..<count).contains(index) else { return nil }
            self.index = index
            self.count = count
        }
        /// `I/N`, I from 0 to N−1 (a Kubernetes Indexed Job's completion index).
        public init?(_ text: String) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else { return nil }
            self.init(index: i, count: n)
        }
        public var description: String { "\(index)/\(count)" }
    }

    /// The simulated population, deterministic for the seed (this shard's part of it).
    public func makeUsers() -> [SimulatedUser] {
        (0..<users).filter { i in shard.map { i % $0.count == $0.index } ?? true }.map { SimulatedUser(index: $0, seed: seed) }
    }
}

/// A progress update, published while a run goes on.
public struct Progress: Sendable {
    /// Time since the run started.
    public var elapsed: Duration
    /// The planned duration.
    public var duration: Duration
    /// Users currently running.
    public var activeUsers: Int
    /// The headline figures so far (turns, errors, replies, fallbacks, ack and reply histograms;
    /// see `RunMetrics.mergeHeadline`).
    public var metrics: RunMetrics
    /// The interval that just ended, and its length.
    public var latest: Timeline.Point
    public var interval: Duration

    public init(elapsed: Duration, duration: Duration, activeUsers: Int, metrics: RunMetrics, latest: Timeline.Point, interval: Duration) {
        self.elapsed = elapsed
        self.duration = duration
        self.activeUsers = activeUsers
        self.metrics = metrics
        self.latest = latest
        self.interval = interval
    }
}

/// What a run produced.
public struct RunResult: Sendable {
    /// Everything measured.
    public var metrics: RunMetrics
    /// Wall time from start to the last in-flight reply.
    public var elapsed: Duration
    /// True when the run was stopped early (Ctrl-C, SIGTERM): the report is marked partial.
    public var partial: Bool
    /// The run interval by interval, up to the last in-flight reply.
    public var timeline: Timeline
}

/// How faithfully loadgen reproduces Meta's at-least-once delivery (reference/whatsapp-cloud-api.md §3).
public struct DeliveryOptions: Sendable, Hashable {
    /// Fraction of messages delivered twice with the same body and wamid; half of those concurrently.
    public var duplicates: Double = 0
    /// Retries of a non-200 ack: immediately, then after 1 s, 2 s, 4 s… (Meta retries "immediately, then
    /// a few more times with decreasing frequency"). 0 = off: the first answer decides.
    public var retries: Int = 0
    /// Up to this many messages (of different users) per POST; 1 = one message per POST, as most traffic is.
    public var batch: Int = 1
    /// How long a batch waits to fill before it goes out.
    public var batchWindow: Duration = .milliseconds(5)
    /// Share of bursts (`Send.burst`) delivered in reverse order, as Meta does not guarantee order.
    public var reorder: Double = 0
    public init(duplicates: Double = 0, retries: Int = 0, batch: Int = 1, batchWindow: Duration = .milliseconds(5), reorder: Double = 0) {
        self.duplicates = duplicates
        self.retries = retries
        self.batch = batch
        self.batchWindow = batchWindow
        self.reorder = reorder
    }
}

extension PayloadTemplate {
    /// The values loadgen fills in every template: the business, the user, the message.
    public static func standardValues(
        business: BusinessIdentity, phone: String?, profileName: String, bsuid: String, wamid: String, timestamp: Int64,
        contextWamid: String
    ) -> [String: Value] {
        [
            "waba_id": .string(business.wabaID), "phone_number_id": .string(business.phoneNumberID),
            "display_phone_number": .string(business.displayPhoneNumber), "profile_name": .string(profileName),
            "phone": .string(phone ?? ""), "bsuid": .string(bsuid), "wamid": .string(wamid),
            "timestamp": .string(String(timestamp)), "context_wamid": .string(contextWamid),
        ]
    }

    /// Renders as a step would, with placeholder values for the user and message: the check run before
    /// a scenario that uses this template starts.
    public func check(with values: [String: Value]) throws(PayloadTemplateError) {
        let standard = Self.standardValues(business: .default, phone: "250788000000", profileName: "Check", bsuid: "RW.0",
                                           wamid: "wamid.CHECK", timestamp: 0, contextWamid: "wamid.CTX")
        _ = try render(standard.merging(values) { $1 })
    }
}

extension Scenario {
    /// Every `(template name, step values)` the scenario sends.
    public var templateSteps: [(name: String, values: [String: PayloadTemplate.Value])] {
        func walk(_ steps: [Step]) -> [(String, [String: PayloadTemplate.Value])] {
            steps.flatMap { step -> [(String, [String: PayloadTemplate.Value])] in
                switch step {
                case .send(.template(let name, let values)): [(name, values)]
                case .branch(_, let a, let b): walk(a) + walk(b)
                default: []
                }
            }
        }
        return personas.flatMap { walk($0.journey) }
    }
}
