import LoadgenCore
import Testing

/// A hub's flags, and a shard's with `--hub`, checked before anything binds: each mistake one sentence.
@Suite struct HubConfigTests {
    static func run(_ change: (inout RunConfig) -> Void = { _ in }) -> RunConfig {
        var run = RunConfig(scenario: Scenario("plain", summary: "") { Persona("user") { Send.text("hi"); Expect.reply(.any) } })
        run.concurrency = 6
        change(&run)
        return run
    }

    @Test func theHubMintsTheWholeRunsUsersAndMapsThemToShards() throws {
        let plan = try HubConfig(run: Self.run { $0.seed = 9 }, shards: 3).validated()
        #expect(plan.population == Workload.population(6, seed: 9, shard: nil))
        #expect(plan.shardMap.shard(ofUser: 4) == 1)
        for i in 0..<3 {  // what each shard will say it runs is what the hub runs
            let shard = try Self.run { $0.seed = 9; $0.shard = Shard(index: i, count: 3); $0.target = try? TargetURL("http://127.0.0.1:9/webhook")
                $0.hub = try? TargetURL("http://127.0.0.1:7000") }.validated()
            #expect(shard.hub?.fingerprint == plan.fingerprint)
            #expect(shard.workload.users.allSatisfy { plan.shardMap.shard(ofUser: $0.index) == i })
        }
        #expect(plan.start == .whenAllReady(lead: .seconds(2)))
    }

    @Test(arguments: [
        ("no shards", "--shards must be at least 1 (got 0)"),
        ("too many shards", "--shards 7 leaves some shards without users: the run has 6 (give at most 6 shards)"),
        ("a shard", "--shard names one shard of a run; the hub serves them all: give it --shards N"),
        ("a target", "--target is a shard's flag; the hub serves the bot's Graph API and proxies, and the shards deliver to the bot"),
        ("limits", "--graph-limits cannot be held across shards yet (a user's 24-hour window opens at its shard): run the shards' bot without it, or one process"),
        ("an uncovered fault", "ai-service-down is injected at the LLM (chat completions): give the hub --upstream llm=URL@HOST:PORT (a fault proxy in front of the bot's real llm upstream) and point the bot's base URL for it there"),
    ])
    func aHubMistakeIsOneSentence(mistake: String, message: String) throws {
        var config = HubConfig(run: Self.run(), shards: 3)
        switch mistake {
        case "no shards": config.shards = 0
        case "too many shards": config.shards = 7
        case "a shard": config.run.shard = Shard(index: 0, count: 2)
        case "a target": config.run.target = try TargetURL("http://127.0.0.1:9/webhook")
        case "limits": config.run.graph.limits = try GraphLimits.parse("meta")
        default: config.run.chaos = [.inject(.aiServiceDown, rate: 1)]
        }
        #expect(throws: ConfigError(message)) { try config.validated() }
    }

    @Test func theHubsOwnStandInAndTheShardsCoverTheirSites() throws {
        var config = HubConfig(run: Self.run { $0.chaos = [.inject(.vendorUnavailable, rate: 1), .inject(.invalidInput, rate: 0.5)] }, shards: 2)
        _ = try config.validated()
        config.run.chaos = [.inject(.aiServiceDown, rate: 1)]
        config.upstreamProxies = [try UpstreamProxySpec.parse("llm=http://127.0.0.1:9000@127.0.0.1:0")]
        _ = try config.validated()
    }

    @Test(arguments: [
        ("no target", "--hub shares one external bot between shards: give its webhook with --target (the embedded bot is one per process)"),
        ("no shard", "--hub needs --shard I/N: which of the hub's shards this process is"),
        ("a proxy", "--upstream belongs on the hub with --hub (the hub serves the bot once for every shard): give it to 'loadgen hub' instead"),
        ("templates", "--graph-templates belongs on the hub with --hub (the hub serves the bot once for every shard): give it to 'loadgen hub' instead"),
    ])
    func aShardOfAHubLeavesTheHubsPartToIt(mistake: String, message: String) throws {
        var config = Self.run {
            $0.target = try? TargetURL("http://127.0.0.1:9/webhook")
            $0.hub = try? TargetURL("http://127.0.0.1:7000")
            $0.shard = Shard(index: 0, count: 2)
        }
        switch mistake {
        case "no target": config.target = nil
        case "no shard": config.shard = nil
        case "a proxy": config.upstreamProxies = [try UpstreamProxySpec.parse("llm=http://127.0.0.1:9000@127.0.0.1:0")]
        default: config.graph.templates = BusinessTemplates([])
        }
        #expect(throws: ConfigError(message)) { try config.validated() }
    }

    @Test func aShardOfAHubNeedsNoProxyOfItsOwnForUpstreamFaults() throws {
        let config = Self.run {
            $0.target = try? TargetURL("http://127.0.0.1:9/webhook")
            $0.hub = try? TargetURL("http://127.0.0.1:7000")
            $0.shard = Shard(index: 1, count: 2)
            $0.chaos = [.inject(.aiServiceDown, rate: 1)]
        }
        #expect(try config.validated().hub?.url.description == "http://127.0.0.1:7000/")
    }
}
