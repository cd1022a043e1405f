#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a run says what it is doing: one line at a time (the CLI prefixes `loadgen: ` and writes stderr).
public typealias Log = @Sendable (String) -> Void

/// The process's standard streams, written so that a lost terminal loses lines, never the run: a closed
/// or full stderr, or a pipe whose reader is gone, makes writes fail quietly instead of trapping.
public enum StandardStreams {
    /// Writes `text` to stderr; errors are ignored.
    public static func writeError(_ text: String) { write(text, to: STDERR_FILENO) }

    /// Writes `text` to stdout; errors are ignored.
    public static func writeOutput(_ text: String) { write(text, to: STDOUT_FILENO) }

    /// Whether stderr is a terminal (the live progress line redraws itself there).
    public static var errorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    private static func write(_ text: String, to fd: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }  // EPIPE, ENOSPC, EBADF: the line is lost, the run goes on
            bytes = bytes.dropFirst(written)
        }
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
