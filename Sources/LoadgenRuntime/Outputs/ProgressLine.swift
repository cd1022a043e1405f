import LoadgenCore

/// Live progress on stderr. On a terminal: one line rewritten every second. Otherwise (CI logs, pipes):
/// a plain line every `every`, so logs stay readable. (`--quiet`: no such output at all.)
public actor ProgressLineOutput: RunOutput {
    private let terminal: Bool
    private let every: Duration
    private let write: @Sendable (String) -> Void
    private var lastPlain = Duration.zero
    private var drawn = false
    private var toldTrip = false

    public init(every: Duration = .seconds(10), terminal: Bool = StandardStreams.errorIsTerminal,
                write: @escaping @Sendable (String) -> Void = StandardStreams.writeError) {
        self.terminal = terminal
        self.every = every
        self.write = write
    }

    public func prepare() {}

    public func update(_ p: Progress) {
        if let trip = p.tripped, !toldTrip {  // said once, on a line of its own, when it happens
            toldTrip = true
            write((drawn ? "\r\u{1B}[2K" : "") + "loadgen: ⛔ \(trip.description); finishing the turns in flight\n")
        }
        let line = ProgressLine.render(p)
        if terminal {
            drawn = true
            write("\r\u{1B}[2K" + "loadgen: " + line)
            return
        }
        guard p.elapsed - lastPlain >= every - .milliseconds(500) else { return }  // ticks jitter by a few ms
        lastPlain = p.elapsed
        write("loadgen: " + line + "\n")
    }

    /// Ends the live line, so what follows starts on a fresh one.
    public func finish(_ report: Report) -> OutputResult {
        if drawn { write("\n") }
        drawn = false
        return OutputResult()
    }
}
