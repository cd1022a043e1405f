extension Report {
    /// What ran, against what.
    public struct RunInfo: Sendable, Codable, Equatable {
        /// How load was applied.
        public enum Model: String, Sendable, Hashable, Codable { case closed, open }

        public var scenario: String
        public var target: String
        /// True when the target was the embedded reference bot.
        public var embeddedBot: Bool
        public var concurrency: Int
        /// `closed` (users loop their journeys) or `open` (conversations arrive at a rate).
        public var model: Model
        /// Open model: the planned arrival rate, conversations per second (nil for closed).
        public var ratePerSecond: Double?
        public var durationSeconds: Double
        public var elapsedSeconds: Double
        public var thinkTimeSeconds: [Double]
        public var replyTimeoutSeconds: Double
        public var replies: ReplyMode
        public var seed: UInt64
        public var graphAPI: String
        public var business: BusinessIdentity
        public var criteria: [String]
        /// `I/N` when this report is one shard of a run split across processes (`--shard`).
        public var shard: String?
        /// The criteria as given (`staging`, `prod,reply.p99<800ms`…), so merged reports can be judged again.
        public var criteriaSpec: String?
        public var startedAt: String
        public var loadgenVersion: String
        /// With `--users-file`: where the users came from and who they were (absent otherwise).
        public var users: Users? = nil
        /// With `--graph-proxy`: where the intercepting proxy listened and what it did (absent otherwise).
        public var graphProxy: GraphProxy? = nil
        /// With `--hub`: the hub, the run's one start and this shard's clock against the hub's (absent otherwise).
        public var hub: Hub? = nil

        /// The intercepting proxy of a run with `--graph-proxy`.
        public struct GraphProxy: Sendable, Codable, Equatable {
            /// `HOST:PORT`, as the bot's `HTTPS_PROXY` names it.
            public var address: String
            /// The hosts whose TLS it terminated, and those it let through raw.
            public var hosts: [String]
            public var tunnels: [String]
            /// Requests handed to the stand-in Graph API.
            public var intercepted: Int
            /// Tunnels opened to allowed hosts.
            public var tunnelled: Int
            /// Requests for other hosts, refused with 403.
            public var refused: Int
            /// TLS handshakes the bot broke off (it did not trust loadgen's CA).
            public var handshakesFailed: Int

            public init(address: String, hosts: [String], tunnels: [String], intercepted: Int = 0, tunnelled: Int = 0, refused: Int = 0,
                        handshakesFailed: Int = 0) {
                self.address = address
                self.hosts = hosts
                self.tunnels = tunnels
                self.intercepted = intercepted
                self.tunnelled = tunnelled
                self.refused = refused
                self.handshakesFailed = handshakesFailed
            }
        }

        /// The users of a run read from a file.
        public struct Users: Sendable, Codable, Equatable {
            /// The file, as given.
            public var file: String
            /// How many of its users this run (or shard) had.
            public var count: Int
            /// Their numbers, in order (the first 1,000).
            public var numbers: [String]
            public init(file: String, count: Int, numbers: [String]) {
                self.file = file
                self.count = count
                self.numbers = numbers
            }
        }

        public init(scenario: String, target: String, embeddedBot: Bool, concurrency: Int, model: Model, ratePerSecond: Double?, durationSeconds: Double, elapsedSeconds: Double, thinkTimeSeconds: [Double], replyTimeoutSeconds: Double, replies: ReplyMode, seed: UInt64, graphAPI: String, business: BusinessIdentity, criteria: [String], criteriaSpec: String? = nil, startedAt: String, loadgenVersion: String) {
            self.scenario = scenario
            self.target = target
            self.embeddedBot = embeddedBot
            self.concurrency = concurrency
            self.model = model
            self.ratePerSecond = ratePerSecond
            self.durationSeconds = durationSeconds
            self.elapsedSeconds = elapsedSeconds
            self.thinkTimeSeconds = thinkTimeSeconds
            self.replyTimeoutSeconds = replyTimeoutSeconds
            self.replies = replies
            self.seed = seed
            self.graphAPI = graphAPI
            self.business = business
            self.criteria = criteria
            self.criteriaSpec = criteriaSpec
            self.startedAt = startedAt
            self.loadgenVersion = loadgenVersion
        }
    }
}
