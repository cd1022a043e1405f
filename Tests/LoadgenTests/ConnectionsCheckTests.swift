import LoadgenCore
import LoadgenHTTP
@testable import LoadgenRuntime
import Testing

/// The `connections` check: a request that waited for one of loadgen's connections is timed from when it
/// was due, so a run where many waited long says that its latencies include loadgen's own queue.
@Suite struct ConnectionsCheckTests {
    @Test func aFewLongWaitsPassAShareFails() {
        var waits = ConnectionWaits(requests: 1_000, waitedLong: 0, longest: .milliseconds(3))
        #expect(Rig.enoughConnections(waits, 512)?.status == .pass)
        #expect(Rig.enoughConnections(waits, 512)?.detail == "enough: no request waited over 100 ms for one of the 512 connections (longest 3.0 ms)")
        waits.waitedLong = 10
        #expect(Rig.enoughConnections(waits, 512)?.status == .pass)  // 1 %: not over it
        waits.waitedLong = 11
        waits.longest = .milliseconds(1_306)
        let failed = Rig.enoughConnections(waits, 512)
        #expect(failed?.status == .fail)
        #expect(failed?.detail.hasPrefix("too few: 11 of 1000 requests waited over 100 ms for one of the 512 connections (longest 1306.0 ms), "
            + "so their ack latency includes loadgen's own queue") == true)
        waits = ConnectionWaits(requests: 100, waitedLong: 4, longest: .seconds(2))
        #expect(Rig.enoughConnections(waits, 8)?.status == .pass)  // 4 %, but fewer than 5
        waits.waitedLong = 5
        #expect(Rig.enoughConnections(waits, 8)?.status == .fail)
    }

    @Test func noRequestNoCheck() {
        #expect(Rig.enoughConnections(ConnectionWaits(), 512) == nil)
    }
}
