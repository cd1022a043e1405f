import LoadgenCore
import LoadgenHTTP
import ReferenceBot
import ServiceLifecycle

/// A bound HTTP server answering with one responder until graceful shutdown: the stand-in Graph API,
/// the upstream stand-ins, a fault proxy, live metrics.
struct HTTPService<Responder: HTTPResponder>: Service, CustomStringConvertible {
    let description: String
    let server: HTTPServer
    let responder: Responder
    /// Runs once the server stopped (a fault proxy closes its connections to the upstream).
    var afterwards: @Sendable () -> Void = {}

    func run() async throws {
        await cancelWhenGracefulShutdown { await server.run(responder) }
        afterwards()
    }
}

/// The embedded reference bot: its webhook server and reply workers, until graceful shutdown.
struct ReferenceBotService: Service, CustomStringConvertible {
    let bot: ReferenceBot
    let server: HTTPServer
    var description: String { "reference bot on \(server.baseURL)" }

    func run() async throws { await cancelWhenGracefulShutdown { await bot.run(on: server) } }
}

/// Meta's status webhooks for every bot reply, until graceful shutdown (a driver drains them first).
struct StatusCallbacksService: Service, CustomStringConvertible {
    let callbacks: StatusCallbacks
    let delivery: StatusCallbacks.Delivery
    var description: String { "status callbacks" }

    func run() async throws { await cancelWhenGracefulShutdown { await callbacks.run(to: delivery) } }
}
