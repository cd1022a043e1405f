import Wire
import LoadgenHTTP

/// How the reference bot is set up: its secrets, where it sends replies, and its limits.
public struct BotConfiguration: Sendable {
    /// Checks `X-Hub-Signature-256` on every POST.
    public var appSecret: Secret
    /// Answers the verification handshake.
    public var verifyToken: Secret
    /// Sent as `Authorization: Bearer` to the Graph API.
    public var accessToken: Secret
    /// Base of the Graph API including the version, e.g. `http://127.0.0.1:4100/v20.0`.
    public var graphBaseURL: TargetURL
    /// The Graph API in this process (the embedded bot beside loadgen's stand-in): each send is handed to
    /// it as the request it would be, at `graphBaseURL`'s path; nil = over HTTP to `graphBaseURL`.
    public var graphInProcess: (any HTTPResponder)?
    /// The business phone number id: deliveries for another id are ignored, replies go to `/{id}/messages`.
    public var phoneNumberID: String
    /// Messages per user per minute before 429 (EasyMO core: `WA_RATE_LIMIT_MAX_REQUESTS`, default 30).
    public var rateLimitPerMinute: Int
    /// Largest accepted body (EasyMO G1: `WA_WEBHOOK_MAX_BYTES`, 262144); larger gets 413.
    public var maxBodyBytes: Int
    /// A test switch: with `false` the bot accepts unsigned and badly signed deliveries (a broken bot).
    public var verifySignatures: Bool
    /// How long a conversation's state lives without messages (EasyMO: 10 minutes).
    public var sessionTTL: Duration
    /// How long a message id is remembered for dedup (Meta retries for up to 7 days; 24 h like the worker).
    public var dedupTTL: Duration
    /// Workers sending replies; a user's messages always go to the same worker, so replies keep order.
    public var senderWorkers: Int
    /// Retries of a Graph send on 408/425/429/5xx (EasyMO `WA_HTTP_STATUS_RETRIES`, default 2).
    public var sendRetries: Int
    /// Delay before retry n is `sendRetryDelay × n` (EasyMO: 400 ms).
    public var sendRetryDelay: Duration
    /// Where the bot's upstreams are (LLM, database REST, ranking, payments, agent backends); nil = the
    /// catalogue in process, no upstream to fail.
    public var upstreams: Route?
    /// The LLM's own base URL (EasyMO's `OPENAI_BASE_URL`), e.g. a fault proxy in front of it; nil = at
    /// `upstreams` with the rest.
    public var llmBaseURL: TargetURL?
    /// The LLM call's deadline (EasyMO: 30 s).
    public var llmDeadline: Duration = .seconds(30)
    /// Every other upstream call's deadline.
    public var upstreamDeadline: Duration = .seconds(5)
    /// A deliberately broken fallback (a test switch): the bot answers with silence, a raw error or a
    /// leaked exception, as a regression would — and chaos runs must catch it.
    public var defect: BotDefect?

    /// A configuration with EasyMO's defaults.
    public init(
        appSecret: Secret, verifyToken: Secret, accessToken: Secret, graphBaseURL: TargetURL,
        phoneNumberID: String = BusinessIdentity.default.phoneNumberID, rateLimitPerMinute: Int = 30,
        maxBodyBytes: Int = 262_144, verifySignatures: Bool = true, sessionTTL: Duration = .seconds(600),
        dedupTTL: Duration = .seconds(86_400), senderWorkers: Int = 128, sendRetries: Int = 2,
        sendRetryDelay: Duration = .milliseconds(400)
    ) {
        self.appSecret = appSecret
        self.verifyToken = verifyToken
        self.accessToken = accessToken
        self.graphBaseURL = graphBaseURL
        self.phoneNumberID = phoneNumberID
        self.rateLimitPerMinute = rateLimitPerMinute
        self.maxBodyBytes = maxBodyBytes
        self.verifySignatures = verifySignatures
        self.sessionTTL = sessionTTL
        self.dedupTTL = dedupTTL
        self.senderWorkers = senderWorkers
        self.sendRetries = sendRetries
        self.sendRetryDelay = sendRetryDelay
    }
}
