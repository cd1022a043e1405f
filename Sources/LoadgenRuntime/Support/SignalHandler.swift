import Dispatch
import Foundation
import LoadgenCore

/// Ctrl-C and SIGTERM: the first fires `stop` (no new turns; in-flight ones finish; the report is written
/// and marked partial); a second one aborts at once with exit 130.
///
/// loadgen's own handler rather than the service group's signals: the group cannot take one signal both
/// to stop gracefully and, the second time, to abort.
public struct SignalHandler {
    private let sources: [any DispatchSourceSignal]

    /// Installs the handler; `onFirst` says what the first signal does (a log line).
    public static func install(stop: StopSignal, onFirst: @escaping @Sendable () -> Void) -> SignalHandler {
        let sources = [SIGINT, SIGTERM].map { signo -> any DispatchSourceSignal in
            signal(signo, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signo, queue: .global())
            source.setEventHandler {
                if stop.isTriggered {
                    StandardStreams.writeError("loadgen: aborted\n")
                    exit(ExitStatus.interrupted.rawValue)
                }
                onFirst()
                stop.trigger()
            }
            source.resume()
            return source
        }
        return SignalHandler(sources: sources)
    }

    /// Restores the default handling.
    public func cancel() {
        for s in sources { s.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
