import Dispatch
import Foundation
import LoadgenCore

/// Ctrl-C and SIGTERM: the first stops new turns (in-flight ones finish, the report is written and
/// marked partial); a second Ctrl-C aborts at once with exit 130.
struct SignalHandler {
    private let sources: [any DispatchSourceSignal]

    static func install(stop: StopSignal, onFirst: @escaping @Sendable () -> Void) -> SignalHandler {
        let sources = [SIGINT, SIGTERM].map { signo -> any DispatchSourceSignal in
            signal(signo, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signo, queue: .global())
            source.setEventHandler {
                if stop.isTriggered {
                    FileHandle.standardError.write(Data("loadgen: aborted\n".utf8))
                    exit(130)
                }
                onFirst()
                stop.trigger()
            }
            source.resume()
            return source
        }
        return SignalHandler(sources: sources)
    }

    func cancel() {
        for s in sources { s.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
