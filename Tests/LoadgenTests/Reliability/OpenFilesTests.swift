import ArgumentParser
@testable import LoadgenCLI
import LoadgenCore
import LoadgenRuntime
import Synchronization
import Testing

/// Out of file descriptors a run used to die with SIGILL inside libdispatch, no message, no report:
/// now the pool of connections to the target is sized to the open-file limit before anything opens.
struct OpenFilesTests {
    func plan(_ arguments: [String]) throws -> RunPlan {
        try Loadgen.Run.parse(arguments).plan(environment: ["WHATSAPP_APP_SECRET": "s"]).0
    }

    @Test func anAskedForPoolThatDoesNotFitIsRefusedWithTheNumbers() throws {
        let external = try plan(["--target", "http://127.0.0.1:9/webhook", "--concurrency", "1000", "--connections", "1000"])
        #expect(throws: LoadgenFailure.self) { try OpenFiles.connections(for: external, limit: 256, notice: { _ in }) }
        do {
            _ = try OpenFiles.connections(for: external, limit: 256, notice: { _ in })
        } catch {
            #expect(error.status == .usage)
            #expect(error.message.contains("--connections 1000 needs about 1112 open files; this process may open 256 (ulimit -n)"))
            #expect(error.message.contains("give --connections 144 or fewer"))
        }
        #expect(try OpenFiles.connections(for: external, limit: 20_000, notice: { _ in }) == 1000)
    }

    @Test func aChosenPoolShrinksToFitAndSaysSo() throws {
        let notices = Mutex<[String]>([])
        let embedded = try plan(["--concurrency", "1000"])  // 512 connections chosen, each two descriptors with the embedded bot
        let fitted = try OpenFiles.connections(for: embedded, limit: 1024, notice: { line in notices.withLock { $0.append(line) } })
        // Kept: 96 for the process. The bot's Graph sends, its upstream calls and its status webhooks are
        // in process: no sockets.
        #expect(fitted == (1024 - 96) / 2)
        #expect(notices.withLock { $0 } == ["connections to the target limited to 464 (not 512) by the open-file limit, ulimit -n 1024"])
    }

    @Test func theLimitIsRaisedToTheHardOne() {
        #expect(OpenFiles.raiseLimit() >= OpenFiles.current)
        #expect(OpenFiles.current >= 256)
    }
}
