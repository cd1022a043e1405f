import Foundation
import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import Synchronization
import Testing

/// The hub's side of the protocol, in process, with hand-written shards: who may join, and the start.
@Suite(.timeLimit(.minutes(1)))
struct HubSessionsTests {
    static func plan(shards: Int) throws -> HubPlan {
        var config = HubConfig(run: RunConfig(scenario: Scenario("plain", summary: "") { Persona("user") { Send.text("hi") } }), shards: shards)
        config.run.concurrency = 4
        config.listen = HostPort(host: "127.0.0.1", port: 0)
        config.graphListen = HostPort(host: "127.0.0.1", port: 0)
        config.startLead = .milliseconds(50)
        return try config.validated()
    }

    /// A shard that leaves before the start frees its place, and the one that takes it is started.
    @Test func aShardThatLeftBeforeTheStartCanComeBack() async throws {
        let plan = try Self.plan(shards: 1)
        let said = LogLines()
        let stop = StopSignal()
        try await withThrowingTaskGroup(of: ExitStatus.self) { group in
            group.addTask { try await HubDriver.run(plan, accessToken: nil, stop: stop, log: { said.add($0) }) }
            defer { stop.trigger() }
            let url = try await Self.listenURL(said)
            let hello = HubMessage.hello(Shard(index: 0, count: 1)!, plan.fingerprint).encoded
            let first = try await MessageSocket.connect(to: url).session { messages, writer in
                try await writer.send(hello)
                for try await line in messages { return HubMessage(decoding: line) }
                return nil
            }
            #expect(first == .welcome)  // and then it went away, before saying it was ready
            let second = try await MessageSocket.connect(to: url).session { messages, writer in
                var heard: [HubMessage] = []
                var lines = messages.makeAsyncIterator()
                for message in [hello, HubMessage.ping(id: 0).encoded] {
                    try await writer.send(message)
                    while let line = try await lines.next(), let m = HubMessage(decoding: line) {
                        if m == .beat { continue }
                        heard.append(m)
                        break
                    }
                }
                try await writer.send(HubMessage.ready.encoded)
                while let line = try await lines.next(), let m = HubMessage(decoding: line) {
                    if case .start = m { heard.append(m); break }
                }
                try await writer.send(HubMessage.finished.encoded)
                return heard
            }
            #expect(second.count == 3 && second.first == .welcome, "\(second)")
            guard case .pong(id: 0, hubTime: _)? = second.dropFirst().first, case .start(hubTime: _)? = second.last else {
                Issue.record("\(second)")
                return
            }
            #expect(try await group.next() == .pass, "\(said.all)")  // the one shard finished: the hub is done
            #expect(said.all.contains("shard 0/1 left before the start; its place is free"))
        }
    }

    /// The hub says where shards connect: `hub listening for N shards on http://…`.
    static func listenURL(_ said: LogLines) async throws -> TargetURL {
        while true {
            if let line = said.all.first(where: { $0.hasPrefix("hub listening for") }),
               let url = line.split(separator: " ").first(where: { $0.hasPrefix("http://") }) {
                return try TargetURL(String(url))
            }
            await Task.yield()
        }
    }
}
