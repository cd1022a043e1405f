import Foundation
import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import LoadgenTesting
import NIOHTTP1
import Synchronization
import Testing

/// The stand-in Graph API holding sends to Meta's limits and the business's templates, each request
/// handed over with the instant it "arrived": what the bot gets back (envelopes field by field against
/// reference §4.4), what goes on to the correlator, what is failed later, what is counted.
@Suite(.timeLimit(.minutes(1)))
struct GraphLimitsStandInTests {
    static let phoneNumberID = "106540352242922"
    let t0 = ContinuousClock.Instant.now
    let user = "250788000001"

    /// A stand-in with `checks`, and what it told the run: delivered sends, failed-later sends, refusals.
    final class Hooks: Sendable {
        let delivered = SendLog()
        let failedLater = Mutex<[(GraphSend, GraphError)]>([])
        let refused = Atomic<Int>(0)
    }

    func standIn(limits: GraphLimitGate? = nil, templates: BusinessTemplates? = nil) -> (GraphAPIStandIn, Hooks) {
        let hooks = Hooks()
        let checks = GraphAPIStandIn.Checks(limits: limits, templates: templates) { send, error in hooks.failedLater.withLock { $0.append((send, error)) } }
        let standIn = GraphAPIStandIn(phoneNumberID: Self.phoneNumberID, accessToken: nil, checks: checks,
                                      onRefused: { hooks.refused.add(1, ordering: .relaxed) }) { send, _ in hooks.delivered.record(send) }
        return (standIn, hooks)
    }

    func send(_ standIn: GraphAPIStandIn, _ json: String, at instant: ContinuousClock.Instant) async -> (status: Int, body: [String: Any]) {
        let request = ServerRequest(method: .POST, uri: "/v20.0/\(Self.phoneNumberID)/messages",
                                    headers: ["Authorization": "Bearer EAAt", "Content-Type": "application/json"], body: Array(json.utf8),
                                    receivedAt: instant)
        let response = await standIn.respond(to: request)
        return (Int(response.status.code), (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]) ?? [:])
    }

    func text(to: String, _ body: String = "hi") -> String {
        #"{"messaging_product":"whatsapp","recipient_type":"individual","to":"\#(to)","type":"text","text":{"body":"\#(body)"}}"#
    }

    func template(to: String, name: String, language: String, parameters: Int) -> String {
        let params = (0..<parameters).map { #"{"type":"text","text":"p\#($0)"}"# }.joined(separator: ",")
        return #"{"messaging_product":"whatsapp","to":"\#(to)","type":"template","template":{"name":"\#(name)","language":{"code":"\#(language)"},"#
            + #""components":[{"type":"body","parameters":[\#(params)]}]}}"#
    }

    /// Meta's error envelope, field by field: `(#code) title`, OAuthException, the code, whatsapp and the
    /// details in error_data, an fbtrace_id.
    func expectEnvelope(_ body: [String: Any], _ error: GraphError, sourceLocation: SourceLocation = #_sourceLocation) {
        let e = body["error"] as? [String: Any] ?? [:]
        #expect(e["message"] as? String == "(#\(error.code)) \(error.title)", sourceLocation: sourceLocation)
        #expect(e["type"] as? String == "OAuthException", sourceLocation: sourceLocation)
        #expect(e["code"] as? Int == error.code, sourceLocation: sourceLocation)
        let data = e["error_data"] as? [String: Any] ?? [:]
        #expect(data["messaging_product"] as? String == "whatsapp" && data["details"] as? String == error.details, sourceLocation: sourceLocation)
        #expect((e["fbtrace_id"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(Set(e.keys) == ["message", "type", "code", "error_data", "fbtrace_id"], sourceLocation: sourceLocation)
    }

    /// Just past the bucket a send is accepted and failed later with 131056; past a second bucket's worth
    /// it is refused with 429 and Meta's envelope.
    @Test func thePairRateFailsLaterThenRefusesWith429AndMetasEnvelope() async throws {
        let gate = GraphLimitGate(GraphLimits(pair: .init(capacity: 2, interval: .seconds(6))))
        let (standIn, hooks) = standIn(limits: gate)
        #expect(await send(standIn, text(to: user), at: t0).status == 200)
        #expect(await send(standIn, text(to: "+250 788-000-001"), at: t0 + .seconds(1)).status == 200)  // the same user, written as people do
        let borrowed = [await send(standIn, text(to: user), at: t0 + .seconds(2)), await send(standIn, text(to: user), at: t0 + .seconds(2))]
        #expect(borrowed.map(\.status) == [200, 200])
        #expect(hooks.failedLater.withLock { $0.map(\.1) } == [.pairRateLimit, .pairRateLimit])
        let refused = await send(standIn, text(to: user), at: t0 + .seconds(2))
        #expect(refused.status == 429)
        expectEnvelope(refused.body, .pairRateLimit)
        #expect((refused.body["error"] as? [String: Any])?["message"] as? String == "(#131056) (Business Account, Consumer Account) pair rate limit hit")
        #expect(await send(standIn, text(to: "250788000002"), at: t0 + .seconds(2)).status == 200)  // another user: its own pair
        #expect(hooks.delivered.sends.count == 3)  // the failed and the refused sends answered no turn
        #expect(hooks.refused.load(ordering: .relaxed) == 0)  // a limit hit is not a malformed send
        #expect(await gate.counts == GraphLimitCounts(pairRate: 1, pairRateFailed: 2))
    }

    @Test func throughputRefusesWith429AndMetasEnvelope() async throws {
        let gate = GraphLimitGate(GraphLimits(throughput: 2))
        let (standIn, _) = standIn(limits: gate)
        await gate.heard(from: [["250788000009"]], at: t0)  // a user's message counts too
        #expect(await send(standIn, text(to: user), at: t0).status == 200)
        let refused = await send(standIn, text(to: "250788000002"), at: t0 + .milliseconds(100))
        #expect(refused.status == 429)
        expectEnvelope(refused.body, .throughput)
        #expect(await send(standIn, text(to: "250788000002"), at: t0 + .milliseconds(500)).status == 200)
        #expect(await gate.counts == GraphLimitCounts(throughput: 1))
    }

    /// Outside the window Meta answers 200 with a wamid, then fails the message: the stand-in hands it
    /// to `onFailedLater` (its `failed` status) instead of the correlator. Templates may go anyway.
    @Test func theWindowAcceptsThenFailsFreeFormMessages() async throws {
        let gate = GraphLimitGate(GraphLimits(window: .seconds(86_400)))
        let (standIn, hooks) = standIn(limits: gate)
        await gate.heard(from: [[user]], at: t0)
        #expect(await send(standIn, text(to: user), at: t0 + .seconds(1)).status == 200)
        let stranger = await send(standIn, text(to: "250788000002", "new offers!"), at: t0 + .seconds(1))
        #expect(stranger.status == 200)
        let wamid = try #require(((stranger.body["messages"] as? [[String: Any]])?.first?["id"] as? String))
        #expect(wamid.hasPrefix("wamid."))
        #expect(await send(standIn, template(to: "250788000002", name: "offers", language: "en", parameters: 0), at: t0 + .seconds(2)).status == 200)
        #expect(await send(standIn, text(to: user), at: t0 + .seconds(86_401)).status == 200)  // a day after the user's last message
        let failed = hooks.failedLater.withLock { $0 }
        #expect(failed.map(\.1) == [.reengagement, .reengagement])
        #expect(failed.map(\.0.to) == ["250788000002", user])
        if case .message(let reply) = failed.first?.0.kind { #expect(reply.messageID == wamid) } else { Issue.record("not a message") }
        #expect(hooks.delivered.sends.count == 2)  // the reply in the window and the template
        #expect(await gate.counts == GraphLimitCounts(window: 2))
    }

    @Test func templateSendsAreCheckedAgainstTheBusinesssTemplates() async throws {
        let templates = BusinessTemplates([.init(name: "order_update", language: "en_US", category: "UTILITY", bodyParameters: 2)])
        let (standIn, hooks) = standIn(templates: templates)
        #expect(await send(standIn, template(to: user, name: "order_update", language: "en_US", parameters: 2), at: t0).status == 200)
        let unknown = await send(standIn, template(to: user, name: "order_updat", language: "en_US", parameters: 2), at: t0)
        #expect(unknown.status == 404)
        expectEnvelope(unknown.body, .templateMissing(name: "order_updat", language: "en_US"))
        #expect((unknown.body["error"] as? [String: Any])?["message"] as? String == "(#132001) Template name does not exist in the translation")
        let language = await send(standIn, template(to: user, name: "order_update", language: "fr", parameters: 2), at: t0)
        #expect(language.status == 404)
        expectEnvelope(language.body, .templateMissing(name: "order_update", language: "fr"))
        let count = await send(standIn, template(to: user, name: "order_update", language: "en_US", parameters: 1), at: t0)
        #expect(count.status == 400)
        expectEnvelope(count.body, .templateParameters(given: 1, expected: 2))
        #expect(hooks.delivered.sends.count == 1)
        #expect(hooks.refused.load(ordering: .relaxed) == 3)  // counted as sends Meta refuses (report: replies.refused)
        #expect(await send(standIn, text(to: user), at: t0).status == 200)  // no limits: free-form goes through
    }

    /// Without the business's templates any template goes, as before.
    @Test func withoutTemplatesAnyTemplateGoes() async throws {
        let (standIn, hooks) = standIn()
        #expect(await send(standIn, template(to: user, name: "anything", language: "xx", parameters: 7), at: t0).status == 200)
        #expect(hooks.delivered.sends.first?.template == TemplateCall(name: "anything", language: "xx", bodyParameters: 7))
    }
}
