import LoadgenCore
import Logging
import ServiceLifecycle

/// Running a driver's services around its phases.
enum Services {
    /// How long services get to stop before they are cancelled.
    static let shutdownLimit: Duration = .seconds(10)

    /// Runs `services` in a `ServiceGroup` while `body` runs, then shuts them down gracefully, in reverse
    /// order (the bot before the stand-ins it talks to). A service that fails first cancels the body, and
    /// its failure is the run's.
    static func run<T: Sendable>(
        _ services: [any Service], around body: @escaping @Sendable () async throws(LoadgenFailure) -> T
    ) async throws(LoadgenFailure) -> T {
        var configuration = ServiceGroupConfiguration(services: services, logger: Logger(label: "loadgen") { _ in SwiftLogNoOpLogHandler() })
        configuration.maximumGracefulShutdownDuration = Self.shutdownLimit
        let group = ServiceGroup(configuration: configuration)
        let result: Result<T, LoadgenFailure> = await withTaskGroup(of: Finished<T>.self) { tasks in
            tasks.addTask {
                do { try await group.run() } catch { return .services(LoadgenFailure(.software, "a service stopped: \(error)")) }
                return .services(nil)
            }
            tasks.addTask {
                do throws(LoadgenFailure) { return .body(.success(try await body())) } catch { return .body(.failure(error)) }
            }
            var result: Result<T, LoadgenFailure>?
            for await finished in tasks {
                switch finished {
                case .body(let outcome):
                    result = outcome
                    await group.triggerGracefulShutdown()
                case .services(let failure) where result == nil:
                    result = .failure(failure ?? LoadgenFailure(.software, "the run's services stopped before the run ended"))
                    tasks.cancelAll()
                case .services: continue
                }
            }
            return result ?? .failure(LoadgenFailure(.software, "the run ended without a result"))
        }
        return try result.get()
    }

    private enum Finished<T: Sendable>: Sendable {
        case body(Result<T, LoadgenFailure>)
        case services(LoadgenFailure?)
    }
}
