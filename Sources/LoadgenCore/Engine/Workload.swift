/// Everything the engine runs, already validated: the scenario, the load model, the users, the pacing,
/// Meta's delivery behaviour and the chaos plan. An immutable value; `RunConfig.validated()` makes one
/// from what the user asked for, and tests build one directly.
///
/// ```swift
/// let w = Workload(scenario: s, users: 10, duration: .seconds(60), journeysPerUser: 5)
/// let o = Workload.open(scenario: s, schedule: ArrivalSchedule(perSecond: 50, for: .seconds(30)), maxInFlight: 1000)
/// ```
public struct Workload: Sendable {
    /// The scenario each user repeats.
    public let scenario: Scenario
    /// Closed (users loop their journeys) or open (conversations arrive on a schedule).
    public let model: LoadModel
    /// The users this process simulates: the closed model's users, or the open model's identity pool.
    public let users: [SimulatedUser]
    /// How long users keep starting new turns (the open model: the schedule's length).
    public let duration: Duration
    /// The pause after each turn, drawn uniformly from this range.
    public let thinkTime: ClosedRange<Duration>
    /// How long a reply may take, from the intended send time.
    public let replyTimeout: Duration
    /// Whether turns wait for replies (`--replies any`) or are judged by their acks only.
    public let replies: ReplyMode
    /// Seeds users, message choices and pauses.
    public let seed: UInt64
    /// Who the users write to.
    public let business: BusinessIdentity
    /// The bytes of every delivery to `business` that do not change, rendered once.
    public let envelope: WebhookEnvelope.Frame
    /// Send BSUID fields on every delivery (Meta does since April 2026).
    public let includeBSUID: Bool
    /// Meta's at-least-once behaviour: duplicates, retries of non-200 acks, batching, reordering.
    public let delivery: DeliveryOptions
    /// Payload templates by name, for `Send.template` steps.
    public let templates: [String: PayloadTemplate]
    /// The faults to inject.
    public let chaos: ChaosPlan
    /// Added to every message's sequence number (bits 42–63), so message ids differ between runs: a
    /// long-lived bot dedups ids it has seen before. 0 = every run with the same users has the same ids.
    public let wamidSalt: UInt64
    /// Which replies count as fallbacks (the scenario's expectations, unless given).
    public let fallback: FallbackClassifier
    /// The timeline's resolution (report.json `timeline`), and how often progress is published. Runs
    /// over an hour use coarser intervals, so a timeline never exceeds 3,600 points.
    public let timelineInterval: Duration
    /// Rollback tripwires judged as the run goes, at every timeline interval (nil: none); one that fires
    /// stops new turns.
    public let tripwire: Tripwire?

    /// A workload for `users` (a shard's share of the population, or a smoke test's test numbers).
    public init(
        scenario: Scenario, model: LoadModel, users: [SimulatedUser], duration: Duration,
        thinkTime: ClosedRange<Duration> = .zero ... .zero, replyTimeout: Duration = .seconds(10), replies: ReplyMode = .any,
        seed: UInt64 = 1, business: BusinessIdentity = .default, includeBSUID: Bool = true, delivery: DeliveryOptions = DeliveryOptions(),
        templates: [String: PayloadTemplate] = [:], chaos: ChaosPlan = ChaosPlan(), wamidSalt: UInt64 = 0,
        fallback: FallbackClassifier? = nil, timelineInterval: Duration = .seconds(1), tripwire: Tripwire? = nil
    ) {
        self.tripwire = tripwire
        self.scenario = scenario
        self.model = model
        self.users = users
        self.duration = duration
        self.thinkTime = thinkTime
        self.replyTimeout = replyTimeout
        self.replies = replies
        self.seed = seed
        self.business = business
        envelope = WebhookEnvelope.Frame(business: business)
        self.includeBSUID = includeBSUID
        self.delivery = delivery
        self.templates = templates
        self.chaos = chaos.judged(by: scenario.expectations)
        self.wamidSalt = wamidSalt
        self.fallback = fallback ?? scenario.expectations.fallback
        self.timelineInterval = max(timelineInterval, duration / 3600)
    }

    /// A closed-model workload: `users` generated users (this shard's part of them), each repeating its
    /// journey until `duration` ends, at most `journeysPerUser` times.
    public init(
        scenario: Scenario, users: Int, duration: Duration, journeysPerUser: Int? = nil, shard: Shard? = nil,
        thinkTime: ClosedRange<Duration> = .zero ... .zero, replyTimeout: Duration = .seconds(10), replies: ReplyMode = .any,
        seed: UInt64 = 1, business: BusinessIdentity = .default, delivery: DeliveryOptions = DeliveryOptions(),
        templates: [String: PayloadTemplate] = [:], chaos: ChaosPlan = ChaosPlan(), wamidSalt: UInt64 = 0, tripwire: Tripwire? = nil
    ) {
        self.init(scenario: scenario, model: .closed(journeysPerUser: journeysPerUser),
                  users: Self.population(users, seed: seed, shard: shard), duration: duration, thinkTime: thinkTime,
                  replyTimeout: replyTimeout, replies: replies, seed: seed, business: business, delivery: delivery,
                  templates: templates, chaos: chaos, wamidSalt: wamidSalt, tripwire: tripwire)
    }

    /// An open-model workload: whole conversations arrive on `schedule`, at most `maxInFlight` at once
    /// (more are dropped and counted); each runs its persona's journey once.
    public static func open(
        scenario: Scenario, schedule: ArrivalSchedule, maxInFlight: Int, shard: Shard? = nil,
        thinkTime: ClosedRange<Duration> = .zero ... .zero, replyTimeout: Duration = .seconds(10), replies: ReplyMode = .any,
        seed: UInt64 = 1, business: BusinessIdentity = .default, delivery: DeliveryOptions = DeliveryOptions(),
        templates: [String: PayloadTemplate] = [:], chaos: ChaosPlan = ChaosPlan(), wamidSalt: UInt64 = 0
    ) -> Workload {
        Workload(scenario: scenario, model: .open(schedule, maxInFlight: maxInFlight),
                 users: population(maxInFlight, seed: seed, shard: shard), duration: schedule.duration, thinkTime: thinkTime,
                 replyTimeout: replyTimeout, replies: replies, seed: seed, business: business, delivery: delivery,
                 templates: templates, chaos: chaos, wamidSalt: wamidSalt)
    }

    /// A fresh message-id salt (bits 42–63; user indices and sequence numbers live below): a repeated
    /// run with the same seed sends new ids, which a long-lived bot's dedup (EasyMO: 24 h) does not swallow.
    public static func randomWamidSalt() -> UInt64 { UInt64.random(in: 1 ..< (1 << 22)) << 42 }

    /// The generated population of `count` users for `seed`, deterministic: this shard's part of it.
    public static func population(_ count: Int, seed: UInt64, shard: Shard?) -> [SimulatedUser] {
        (0..<count).filter { shard?.owns(user: $0) ?? true }.map { SimulatedUser(index: $0, seed: seed) }
    }
}

/// How load is applied.
public enum LoadModel: Sendable, Hashable {
    /// Closed: the users each repeat their journey until the run ends (at most this many times).
    case closed(journeysPerUser: Int?)
    /// Open: whole conversations arrive on a schedule whatever the bot does, at most `maxInFlight` at once.
    case open(ArrivalSchedule, maxInFlight: Int)

    /// `closed` or `open`, as report.json says it.
    public var name: Report.RunInfo.Model {
        switch self {
        case .closed: .closed
        case .open: .open
        }
    }
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
