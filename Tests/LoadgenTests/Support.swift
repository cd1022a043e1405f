import Foundation
@testable import LoadgenCLI
import LoadgenCore
import LoadgenRuntime

extension Loadgen.Run {
    /// Runs the command in-process, as `run()` would but without its signal handler or console summary.
    func outcome(environment: [String: String] = [:], log: @escaping Log = { _ in }) async throws -> RunOutcome {
        let (plan, secrets) = try plan(environment: environment)
        return try await RunDriver.run(plan, secrets: secrets, stop: StopSignal(), log: log)
    }
}

extension Loadgen.Smoke {
    /// Runs the smoke test in-process, as `run()` would but without its signal handler or console summary.
    func outcome(environment: [String: String] = [:], log: @escaping Log = { _ in }) async throws -> RunOutcome {
        let (plan, secrets) = try plan(environment: environment)
        return try await SmokeDriver.run(plan, secrets: secrets, stop: StopSignal(), log: log)
    }
}

/// A new, empty folder under the temporary directory, its name `name`, this process and a random number:
/// tests run in parallel, a run's cases too. The caller removes it.
func temporaryFolder(_ name: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}
