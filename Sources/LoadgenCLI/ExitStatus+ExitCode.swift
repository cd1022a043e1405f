import ArgumentParser
import LoadgenCore
import LoadgenRuntime

extension ExitStatus {
    /// The exit code ArgumentParser ends the process with.
    var exitCode: ExitCode { ExitCode(rawValue) }
}

extension LoadgenFailure {
    /// A usage error (64) for ArgumentParser's `validate()`.
    static func usage(_ error: ConfigError) -> ValidationError { ValidationError(error.message) }
}

/// Runs a command's body: a failure is one line on stderr and its exit code; anything but a pass exits
/// with the outcome's code.
func runCommand(_ body: () async throws(LoadgenFailure) -> ExitStatus) async throws {
    let status: ExitStatus
    do throws(LoadgenFailure) { status = try await body() } catch {
        Loadgen.log("error: \(error.message)")
        status = error.status
    }
    if status != .pass { throw status.exitCode }
}

extension RunOutcome {
    /// Prints the summary on stdout — always, even when the report files could not be written — then
    /// says on stderr what could not be written; the exit status.
    func printed() -> ExitStatus {
        StandardStreams.writeOutput(ConsoleSummary.render(report, reportPaths: reportPaths) + "\n")
        if let writeFailure { Loadgen.log("error: \(writeFailure.message)") }
        return status
    }
}
