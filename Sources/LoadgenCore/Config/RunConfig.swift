/// What the user asked a run to be, as typed values (from flags, or a scenario file): everything optional
/// that has a default somewhere else. `validated()` checks it and resolves it into an immutable `RunPlan`.
///
/// ```swift
/// var config = RunConfig(scenario: BuiltInScenarios.generic)
/// config.concurrency = 100
/// config.duration = .seconds(300)
/// let plan = try config.validated()   // 100 users for 5 minutes, staging criteria, the embedded bot
/// ```
public struct RunConfig: Sendable {
    public var scenario: Scenario
    /// The bot's webhook URL; nil = the embedded reference bot.
    public var target: TargetURL?
    /// Closed model: concurrent users (default: the scenario's, else 10).
    public var concurrency: Int?
    /// Open model: conversations arriving per second.
    public var rate: Double?
    /// Open model: most conversations in flight (default 1000).
    public var maxInFlight: Int?
    /// How long users keep starting turns (default: the scenario's, else 30 s).
    public var duration: Duration?
    public var thinkTime: ClosedRange<Duration> = .seconds(2) ... .seconds(5)
    public var replyTimeout: Duration = .seconds(10)
    public var ackTimeout: Duration = .seconds(5)
    /// Default: the scenario's own, else `staging`.
    public var criteria: CriteriaSpec?
    public var seed: UInt64 = 1
    public var graphListen = HostPort(host: "127.0.0.1", port: 0)
    /// Reply capture by HTTPS interception, for a bot whose Graph host is hard-coded (`--graph-proxy`).
    public var graphProxy: GraphProxySpec?
    public var business: BusinessIdentity = .default
    public var replies: ReplyMode = .any
    public var health: TargetURL?
    /// A PEM file of certificates to trust for an HTTPS target besides the system's (`--target-ca`).
    public var targetCA: String?
    /// Default: min(users, 512).
    public var connections: Int?
    /// Stop each user after this many journeys.
    public var journeys: Int?
    public var delivery = DeliveryOptions()
    public var statusCallbacks = true
    /// Default: the scenario's own chaos plan.
    public var chaos: ChaosPlan?
    public var upstreamProxies: [UpstreamProxySpec] = []
    public var shard: Shard?
    /// The payload templates the scenario's `Send.template` steps use, loaded by the caller.
    public var templates: [String: PayloadTemplate] = [:]
    public var embeddedBot = EmbeddedBotOptions()
    public var metricsListen: HostPort?
    public var report = ReportPlan()
    /// Message-id salt (`Wamid.randomSalt()` for a real run: fresh ids every run).
    public var wamidSalt: UInt64 = 0
    /// Allow `network-issues:burst` floods against a target that is not on this machine (a staging bot
    /// whose owners know it will be flooded past its rate limit).
    public var allowFlood = false

    /// Users from a file (`--users-file`), one per row, instead of generated ones.
    public var usersFile: UsersFile?
    /// Meta's limits and the business's templates the stand-in Graph API holds sends to (off by default).
    public var graph = GraphRules()
    /// The hub this shard's replies, statuses and fault hits come from (`--hub`), instead of stand-ins of its own.
    public var hub: TargetURL?

    public init(scenario: Scenario) { self.scenario = scenario }

    /// The most concurrent users (or open-model conversations in flight) one process simulates: each is
    /// a few kilobytes, so this bounds memory.
    public static let maxConcurrency = 100_000
    /// The highest open-model arrival rate, conversations per second.
    public static let maxRate = 100_000.0
    /// The most connections to the target.
    public static let maxConnections = 20_000
    /// The longest run.
    public static let maxDuration: Duration = .seconds(86_400)
    /// The longest reply or ack timeout.
    public static let maxTimeout: Duration = .seconds(120)

    /// The plan, if the config can run; otherwise the first mistake, in one sentence.
    public func validated() throws(ConfigError) -> RunPlan {
        try checkValues()
        try checkCombinations()
        let load = resolvedLoad()
        guard load.users <= Self.maxConcurrency else {
            throw ConfigError("scenario '\(scenario.name)' asks for \(load.users) users (or conversations in flight); at most \(Self.maxConcurrency)")
        }
        if let schedule = load.schedule, schedule.peakRate > Self.maxRate {
            throw ConfigError("scenario '\(scenario.name)' asks for \(schedule.peakRate) conversations per second; at most \(Int(Self.maxRate))")
        }
        try checkPlaceholders()
        let proxy = try graphProxy?.validated()
        let whole = try wholePopulation(load.users)
        let population = shard.map { s in whole.filter { s.owns(user: $0.index) } } ?? whole
        if let shard, population.isEmpty {
            throw ConfigError("--shard \(shard) leaves this shard without users: the run has \(load.users) (give at least \(shard.count))")
        }
        let criteria: CriteriaSpec
        if let given = self.criteria { criteria = given } else {
            do { criteria = try CriteriaSpec(scenario.criteria.isEmpty ? "staging" : scenario.criteria.joined(separator: ",")) } catch {
                throw ConfigError(error.description)
            }
        }
        let model: LoadModel = load.schedule.map { .open($0.scaled(by: 1 / Double(shard?.count ?? 1)), maxInFlight: load.users) }
            ?? .closed(journeysPerUser: journeys)
        let workload = Workload(
            scenario: scenario, model: model, users: population, duration: load.duration, thinkTime: thinkTime, replyTimeout: replyTimeout,
            replies: replies, seed: seed, business: business, delivery: delivery, templates: templates, chaos: chaos ?? scenario.chaos,
            wamidSalt: wamidSalt, tripwire: Tripwire(sets: criteria.sets, repliesMeasured: replies.awaitsReplies))
        return RunPlan(
            workload: workload, target: target, criteria: criteria.sets, criteriaText: criteria.text, graphListen: graphListen,
            healthURL: health, targetCA: targetCA, connections: connections ?? min(load.users, 512),
            connectionsGiven: connections != nil, ackTimeout: ackTimeout, statusCallbacks: statusCallbacks,
            upstreamProxies: upstreamProxies, metricsListen: metricsListen, embeddedBot: embeddedBot, shard: shard, report: report,
            usersFile: usersFile?.path, graph: graph, graphProxy: proxy,
            hub: hub.map { ShardHub(url: $0, fingerprint: RunFingerprint(scenario: scenario.name, seed: seed, population: whole, chaos: workload.chaos)) })
    }

    /// Every user of the whole run (all shards'), from the users file or generated from the seed.
    func wholePopulation(_ count: Int) throws(ConfigError) -> [SimulatedUser] {
        guard let file = usersFile else { return Workload.population(count, seed: seed, shard: nil) }
        guard file.users.count >= count else {
            throw ConfigError("--users-file \(file.path) has \(file.users.count) users; the run asks for \(count) (users or conversations in flight): add rows or ask for fewer")
        }
        return Array(file.users.prefix(count))
    }

    /// Flags override the scenario's own load; without either, 10 users for 30 s.
    func resolvedLoad() -> (users: Int, duration: Duration, schedule: ArrivalSchedule?) {
        var users = 10
        var length = Duration.seconds(30)
        var schedule: ArrivalSchedule?
        switch scenario.load {
        case .users(let n, let d)?: (users, length) = (n, d)
        case .arrivals(let r, let d, let cap)?: (schedule, users) = (ArrivalSchedule(perSecond: r, for: d), cap ?? 1000)
        case .stages(let stages, let cap)?: (schedule, users) = (ArrivalSchedule(stages: stages), cap ?? 1000)
        case nil: break
        }
        if let concurrency { (users, schedule) = (concurrency, nil) }
        if let duration { length = duration }
        if let rate {
            (schedule, users) = (ArrivalSchedule(perSecond: rate, for: length), 1000)
        } else if let s = schedule, duration != nil {
            schedule = ArrivalSchedule(stages: [.init(length, perSecond: s.finalRate)], startRate: s.finalRate)
        }
        if let maxInFlight { users = maxInFlight }
        return (users, schedule?.duration ?? length, schedule)
    }
}

extension RunConfig {
    /// Every `{{name}}` in the scenario's text messages names a user field: phone, name, bsuid, or a
    /// column of the users file.
    func checkPlaceholders() throws(ConfigError) {
        let known = usersFile?.fieldNames ?? Set(SimulatedUser.standardFields)
        for persona in scenario.personas {
            for name in Self.placeholders(in: persona.journey) where !known.contains(name) && !SimulatedUser.isGenerator(name) {
                let source = usersFile.map { "a column of \($0.path)" } ?? "a user field (with --users-file, a column of the file)"
                throw ConfigError("scenario '\(scenario.name)', persona '\(persona.name)': {{\(name)}} is not \(source); "
                    + "known: \(known.sorted().joined(separator: ", ")), and the generators {{id}} and {{number:LO-HI}}")
            }
        }
    }

    private static func placeholders(in steps: [Step]) -> [String] {
        steps.flatMap { step -> [String] in
            switch step {
            case .send(.text(let bodies)), .send(.burst(let bodies)): bodies.flatMap(\.placeholderNames)
            case .branch(_, let then, let otherwise): placeholders(in: then) + placeholders(in: otherwise)
            default: []
            }
        }
    }
}
