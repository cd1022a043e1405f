import LoadgenCore

/// loadgen's exit codes: part of its interface (README "Exit codes"). Values follow BSD sysexits.
public enum ExitStatus: Int32, CaseIterable, Sendable {
    /// Every criterion passed.
    case pass = 0
    /// A criterion failed (or a rollback tripwire fired).
    case criteriaFailed = 1
    /// `loadgen compare`: the current run regressed against the baseline.
    case regression = 2
    /// Bad flags or values: unknown scenario or criteria, invalid URL, non-numeric or negative numbers.
    case usage = 64
    /// An input file has bad contents (an empty secret file).
    case dataError = 65
    /// An input file does not exist or cannot be read.
    case noInput = 66
    /// The run could not be carried out: the target is unreachable.
    case unavailable = 69
    /// Something loadgen did not expect (a bug: please report it).
    case software = 70
    /// A listen address could not be bound (port in use, address not local).
    case cannotListen = 71
    /// The report could not be written (nor loadgen's CA, for `loadgen ca` and `--graph-proxy`).
    case cannotWriteReport = 73
    /// A required secret is missing from the environment.
    case config = 78
    /// Stopped by Ctrl-C or SIGTERM: the report was written and marked partial.
    case interrupted = 130
}

/// A failure the user can act on: one clear line on stderr and a documented exit code.
public struct LoadgenFailure: Error, CustomStringConvertible, Sendable {
    public var status: ExitStatus
    public var message: String

    public init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { message }
}

extension LoadgenFailure {
    /// A usage error from a mistake in the config.
    public init(_ error: ConfigError) { self.init(.usage, error.message) }
}
