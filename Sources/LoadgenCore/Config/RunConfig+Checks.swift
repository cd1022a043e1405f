extension RunConfig {
    /// Each value on its own: in range.
    func checkValues() throws(ConfigError) {
        if let concurrency {
            guard concurrency >= 1 else { throw ConfigError("--concurrency must be at least 1 (got \(concurrency))") }
            guard concurrency <= Self.maxConcurrency else {
                throw ConfigError("--concurrency must be at most \(Self.maxConcurrency) (got \(concurrency))")
            }
        }
        if let rate {
            guard rate > 0, rate.isFinite else { throw ConfigError("--rate must be above 0 conversations per second (got \(rate))") }
            guard rate <= Self.maxRate else {
                throw ConfigError("--rate must be at most \(Int(Self.maxRate)) conversations per second (got \(rate))")
            }
        }
        if let maxInFlight {
            guard maxInFlight >= 1 else { throw ConfigError("--max-in-flight must be at least 1 (got \(maxInFlight))") }
            guard maxInFlight <= Self.maxConcurrency else {
                throw ConfigError("--max-in-flight must be at most \(Self.maxConcurrency) (got \(maxInFlight)): each conversation in flight holds memory")
            }
        }
        if let duration {
            guard duration > .zero else {
                throw ConfigError("--duration must be a positive time such as 300, 30s or 5m (got '\(DurationText.format(duration))')")
            }
            guard duration <= Self.maxDuration else { throw ConfigError("--duration must be at most 24h (got '\(DurationText.format(duration))')") }
        }
        for (flag, value) in [("--reply-timeout", replyTimeout), ("--ack-timeout", ackTimeout)] where !(value > .zero && value <= Self.maxTimeout) {
            throw ConfigError("\(flag) must be a positive time up to 120s (got '\(DurationText.format(value))')")
        }
        guard (0...1).contains(delivery.duplicates) else { throw ConfigError("--duplicates must be a fraction between 0 and 1 (got \(delivery.duplicates))") }
        guard (0...1).contains(delivery.reorder) else { throw ConfigError("--reorder must be a fraction between 0 and 1 (got \(delivery.reorder))") }
        guard (1...1000).contains(delivery.batch) else { throw ConfigError("--batch must be between 1 and 1000 (got \(delivery.batch))") }
        guard (0...10).contains(delivery.retries) else { throw ConfigError("--retries must be between 0 and 10 (got \(delivery.retries))") }
        if let connections, !(1...Self.maxConnections).contains(connections) {
            throw ConfigError("--connections must be between 1 and \(Self.maxConnections) (got \(connections))")
        }
        if let journeys, journeys < 1 { throw ConfigError("--journeys must be at least 1 (got \(journeys))") }
    }

    /// Values that depend on each other.
    func checkCombinations() throws(ConfigError) {
        let urls = [("--target", target), ("--health", health)] + upstreamProxies.map { ("--upstream \($0.name)", Optional($0.upstream)) }
        for (flag, url) in urls { if let refusal = url?.credentialsRefusal(flag) { throw ConfigError(refusal) } }
        try TargetURL.checkTargetCA(targetCA, for: [target, health].compactMap { $0 })
        if rate != nil, concurrency != nil {
            throw ConfigError("--rate (open model) and --concurrency (closed model) exclude each other; use --max-in-flight to cap an open run")
        }
        if embeddedBot.defect != nil, target != nil {
            throw ConfigError("--bot-defect breaks the embedded reference bot; it cannot be used with --target")
        }
        if !upstreamProxies.isEmpty, target == nil {
            throw ConfigError("--upstream puts a fault proxy in front of an external bot's upstream; it needs --target (the embedded bot uses loadgen's own stand-ins)")
        }
        let chaos = self.chaos ?? scenario.chaos
        if let target, !target.isLoopback, !allowFlood, chaos.faults.contains(where: { if case .rateLimitBurst = $0.shape { true } else { false } }) {
            throw ConfigError("network-issues:burst floods \(target.origin.host) past its rate limit: against a target that is not on this machine, add --allow-flood to confirm it is a test bot")
        }
        try checkHub()
        if target != nil, hub == nil {  // with a hub, the hub hosts the fault proxies and checks they cover the plan
            let proxied = Set(upstreamProxies.flatMap(\.sites))
            if let missing = chaos.faults.first(where: { $0.site != .traffic && !proxied.contains($0.site) }) {
                let name = UpstreamProxySpec.name(covering: missing.pattern.site) ?? "NAME"
                throw ConfigError("\(self.chaos == nil ? "the scenario's chaos plan: " : "--chaos ")\(missing.pattern.rawValue) is injected at the \(missing.pattern.site.rawValue): against --target, add --upstream \(name)=URL@HOST:PORT (a fault proxy this run hosts in front of the bot's real \(name) upstream) and point the bot's base URL for it there")
            }
        }
        if let shard, rate == nil, let concurrency, concurrency < shard.count {
            throw ConfigError("--shard \(shard) with --concurrency \(concurrency) leaves some shards without users (give at least \(shard.count))")
        }
    }

    /// A shard of a hub (`--hub`) tests one external bot, and leaves to the hub what exists once per run.
    func checkHub() throws(ConfigError) {
        guard let hub else { return }
        if let refusal = hub.credentialsRefusal("--hub") { throw ConfigError(refusal) }
        guard target != nil else {
            throw ConfigError("--hub shares one external bot between shards: give its webhook with --target (the embedded bot is one per process)")
        }
        guard shard != nil else { throw ConfigError("--hub needs --shard I/N: which of the hub's shards this process is") }
        let onTheHub: [(String, Bool)] = [("--upstream", !upstreamProxies.isEmpty), ("--graph-proxy", graphProxy != nil),
                                          ("--graph-limits", graph.limits != nil), ("--graph-templates", graph.templates != nil)]
        if let (flag, _) = onTheHub.first(where: \.1) {
            throw ConfigError("\(flag) belongs on the hub with --hub (the hub serves the bot once for every shard): give it to 'loadgen hub' instead")
        }
    }
}

extension TargetURL {
    /// `--target-ca` adds trust for HTTPS: refused, with why, when none of `urls` (the target, the health
    /// URLs) is HTTPS, or the path is empty.
    static func checkTargetCA(_ path: String?, for urls: [TargetURL]) throws(ConfigError) {
        guard let path else { return }
        guard !path.isEmpty else { throw ConfigError("--target-ca needs the path of a PEM file") }
        guard urls.contains(where: \.origin.tls) else {
            throw ConfigError("--target-ca trusts a private CA for an https:// --target or --health; \(urls.isEmpty ? "there is no --target (the embedded bot speaks plain HTTP)" : "none is https://")")
        }
    }
}
