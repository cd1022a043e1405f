import Foundation
import LoadgenCore
import Synchronization

/// Live progress on stderr. On a terminal: one line rewritten every second. Otherwise (CI logs, pipes):
/// a plain line every `every`, so logs stay readable. `--quiet`: nothing.
final class ProgressPrinter: Sendable {
    private let terminal: Bool
    private let every: Duration
    private let state = Mutex<(lastPlain: Duration, drawn: Bool)>((.zero, false))

    init(every: Duration, terminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.terminal = terminal
        self.every = every
    }

    func show(_ p: LoadgenCore.Progress) {
        let line = ProgressLine.render(p)
        let text: String? = state.withLock { s in
            if terminal {
                s.drawn = true
                return "\r\u{1B}[2K" + "loadgen: " + line
            }
            guard p.elapsed - s.lastPlain >= every - .milliseconds(500) else { return nil }  // ticks jitter by a few ms
            s.lastPlain = p.elapsed
            return "loadgen: " + line + "\n"
        }
        if let text { FileHandle.standardError.write(Data(text.utf8)) }
    }

    /// Ends the live line, so what follows starts on a fresh one.
    func finish() {
        let drawn = state.withLock { s in
            defer { s.drawn = false }
            return s.drawn
        }
        if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
