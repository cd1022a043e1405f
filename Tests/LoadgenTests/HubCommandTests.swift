import Foundation
import Testing

/// `loadgen hub` and `loadgen run --hub` as a user meets them: each mistake one line and its exit code.
@Suite(.timeLimit(.minutes(1)))
struct HubCommandTests {
    static let secret = ["WHATSAPP_APP_SECRET": "hub-command-secret"]

    @Test(arguments: [
        (["hub"], "Missing expected argument '--shards <shards>'"),
        (["hub", "--shards", "0"], "--shards must be at least 1 (got 0)"),
        (["hub", "--shards", "2", "--concurrency", "1"], "--shards 2 leaves some shards without users: the run has 1 (give at most 1 shards)"),
        (["hub", "--shards", "2", "--start-at", "2001-01-01T00:00:00Z"], "--start-at 2001-01-01T00:00:00Z has passed: give a time in the future"),
        (["hub", "--shards", "2", "--start-at", "tomorrow"], "write an ISO 8601 time with its zone, e.g. 2026-12-01T10:00:00Z"),
        (["hub", "--shards", "2", "--chaos", "timeout=0.5"], "timeout is injected at the LLM (chat completions): give the hub --upstream llm=URL@HOST:PORT"),
        (["run", "--hub", "http://127.0.0.1:7000", "--target", "http://127.0.0.1:9/webhook"], "--hub needs --shard I/N"),
        (["run", "--hub", "http://127.0.0.1:7000", "--shard", "0/2"], "--hub shares one external bot between shards: give its webhook with --target"),
        (["run", "--hub", "http://127.0.0.1:7000", "--shard", "0/2", "--target", "http://127.0.0.1:9/webhook", "--graph-listen", "127.0.0.1:0"],
         "--graph-listen belongs on the hub with --hub"),
        (["run", "--hub", "http://127.0.0.1:7000", "--shard", "0/2", "--target", "http://127.0.0.1:9/webhook",
          "--upstream", "llm=http://127.0.0.1:9000@127.0.0.1:0"], "--upstream belongs on the hub with --hub"),
    ])
    func mistakesExit64(arguments: [String], message: String) throws {
        let o = try CommandLineTests.run(arguments, environment: Self.secret)
        #expect(o.status == 64, "\(o.stderr)")
        CommandLineTests.expectOneClearLine(o, containing: message)
    }

    @Test func aHubThatIsNotThereIsExit69() throws {
        let o = try CommandLineTests.run(["run", "--hub", "http://127.0.0.1:1", "--shard", "0/1", "--target", "http://127.0.0.1:9/webhook"],
                                         environment: Self.secret)
        #expect(o.status == 69)
        CommandLineTests.expectOneClearLine(o, containing: "cannot reach the hub: cannot connect to http://127.0.0.1:1/: connection refused")
    }

    /// A shard started with other flags than its hub is refused before it sends anything: its users would
    /// not be the ones the hub routes to it.
    @Test func aShardOfAnotherRunIsRefusedWithTheDifference() throws {
        let hub = try HubLocalTests.Launched(["hub", "--shards", "1", "--listen", "127.0.0.1:0", "--graph-listen", "127.0.0.1:0", "--seed", "1"])
        defer { hub.kill() }
        let url = try hub.url(onLine: "hub listening for 1 shards on")
        let o = try CommandLineTests.run(["run", "--hub", url, "--shard", "0/1", "--target", "http://127.0.0.1:9/webhook", "--seed", "2"],
                                         environment: Self.secret)
        #expect(o.status == 64)
        CommandLineTests.expectOneClearLine(o, containing: "the hub at \(url)/ refused shard 0/1: the shard runs with --seed 2, the hub with 1")
    }

    /// The hub holds what exists once per run: the graph proxy (HTTPS interception) and fault proxies too.
    @Test func theHubServesTheGraphProxyOnceForAllShards() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-hub-proxy-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let hub = try HubLocalTests.Launched(["hub", "--shards", "2", "--listen", "127.0.0.1:0", "--graph-listen", "127.0.0.1:0",
                                              "--graph-proxy", "0", "--ca-dir", dir.path])
        defer { hub.kill() }
        let proxy = try hub.url(onLine: "start the bot with HTTPS_PROXY=")
        #expect(proxy.hasPrefix("http://127.0.0.1:"))
        _ = try hub.url(onLine: "hub listening for 2 shards on")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("ca.pem").path))
    }
}
