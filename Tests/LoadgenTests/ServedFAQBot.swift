import Foundation
import LoadgenCore
import LoadgenHTTP
import LoadgenTesting
import NIOHTTP1
import Synchronization

/// The FAQ bot (`FAQBot`, a bot that is not EasyMO) served on a port of its own — over HTTPS with a
/// certificate for `localhost` when given a CA — replying to a stand-in Graph API on a free port: the
/// external bot of the tests that need one. It counts the status webhooks it accepted, and can reject
/// them (401) as a bot that checks their signatures wrongly does.
final class ServedFAQBot: HTTPResponder {
    let bot: FAQBot
    private let rejectsStatuses: Bool
    private let accepted = Mutex(0)

    private init(_ bot: FAQBot, rejectsStatuses: Bool) {
        self.bot = bot
        self.rejectsStatuses = rejectsStatuses
    }

    static let secrets = ["WHATSAPP_APP_SECRET": "faq-secret", "WHATSAPP_VERIFY_TOKEN": "faq-token"]

    /// Status webhooks answered 200.
    var statusesAccepted: Int { accepted.withLock { $0 } }

    func respond(to request: ServerRequest) async -> ServerResponse {
        let isStatus = request.method == .POST && String(decoding: request.body, as: UTF8.self).contains(#""statuses":"#)
        if isStatus, rejectsStatuses { return .text(.unauthorized, "bad signature") }
        let response = await bot.respond(to: request)
        if isStatus, response.status == .ok { accepted.withLock { $0 += 1 } }
        return response
    }

    /// Runs `body` with the bot at `target` (`…/webhook`; `…/health` is its health URL), replying to a
    /// stand-in Graph API expected at `graphPort`. With `ca`, it speaks HTTPS at `https://localhost:PORT`
    /// with a certificate `ca` signed.
    static func with<T: Sendable>(
        tls ca: CertificateAuthority? = nil, menuOnly: Bool = false, rejectsStatuses: Bool = false,
        _ body: @Sendable (_ target: String, _ graphPort: Int, _ bot: ServedFAQBot) async throws -> T
    ) async throws -> T {
        let graphPort = try await ProxiedChaosTests.freePort()
        let bot = ServedFAQBot(try FAQBot(appSecret: Secret("faq-secret"), verifyToken: "faq-token",
                                          graphBase: try TargetURL("http://127.0.0.1:\(graphPort)/v20.0"), menuOnly: menuOnly),
                               rejectsStatuses: rejectsStatuses)
        let server = try await HTTPServer.bind(host: "127.0.0.1", port: 0, tls: try ca?.serverContext(for: "localhost"))
        let target = ca == nil ? "http://127.0.0.1:\(server.port)/webhook" : "https://localhost:\(server.port)/webhook"
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { await server.run(bot); return nil }
            group.addTask { await bot.bot.run(); return nil }
            defer { group.cancelAll() }
            return try await body(target, graphPort, bot)
        }
    }

    /// The FAQ bot's scenario file, as an operator writes it, named `name`, in `dir`: its expectations
    /// (`ExpectationsTests.faq`) and one persona asking the hours.
    static func scenarioFile(named name: String, in dir: URL) throws -> URL {
        let file = dir.appendingPathComponent("\(name).yaml")
        try Data("""
        name: \(name)
        criteria: prod
        expectations:
          fallbackPhrases: [did not understand]
          graceful: { invalid-input: { contains: try asking } }
          smoke:
            agentMessage: What are your opening hours?
            agentAnswer: { contains: we are open }
            menuMessage: menu
            menu: interactive
        personas:
          - name: asks-hours
            steps:
              - send: When are you open?
              - expect: { contains: we are open }
        """.utf8).write(to: file)
        return file
    }
}
