/// One of Meta's Graph API errors, as a bot meets it: synchronously, in the error envelope of the send
/// that caused it (`{"error":{"message":"(#code) title",…}}`, at `httpStatus`), or later, in the
/// `errors[]` of a `failed` status webhook. Codes, titles and details are Meta's (reference §2.4, §4.4).
///
/// Meta says to key on `code` and `details`, not on the HTTP status; where the status varies in the
/// field, each constant says which one loadgen answers with and why.
public struct GraphError: Sendable, Hashable {
    public var code: Int
    /// The error's title: the envelope's message after `(#code) `, a status error's `title` and `message`.
    public var title: String
    /// `error_data.details`: what Meta says happened.
    public var details: String
    /// The HTTP status of the synchronous envelope.
    public var httpStatus: Int

    public init(code: Int, title: String, details: String, httpStatus: Int) {
        self.code = code
        self.title = title
        self.details = details
        self.httpStatus = httpStatus
    }

    /// Where a status webhook's error points (Meta's own `href`, as in its `failed` example).
    public static let href = "/documentation/business-messaging/whatsapp/support/error-codes"

    /// 131056: too many messages from the business number to one user. HTTP 429, not 400: the field
    /// reports split (heltar and whaloc saw 400; turn.io, dualhook, doubletick and a BSP relay saw 429),
    /// and turn.io relays Meta's own advice to "retry the API calls that return an HTTP 429" for it —
    /// so 429 is what bots are told to expect and back off on.
    public static let pairRateLimit = GraphError(
        code: 131056, title: "(Business Account, Consumer Account) pair rate limit hit",
        details: "Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.",
        httpStatus: 429)

    /// 130429: the business number's throughput (80 messages per second by default) is reached. HTTP 429:
    /// Meta files it with 131056 as a throttling error, and whaloc (an emulator specified from captured
    /// production traffic) answers it with 429; the reference's 400 is marked unverified.
    public static let throughput = GraphError(
        code: 130429, title: "Rate limit hit", details: "Cloud API message throughput has been reached.", httpStatus: 429)

    /// 131047: a free-form message to a user who has not written in the last 24 hours. Meta accepts the
    /// send (200 and a wamid) and fails it later in a `failed` status; 400 is the status integrators saw
    /// when it came synchronously.
    public static let reengagement = GraphError(
        code: 131047, title: "Re-engagement message",
        details: "More than 24 hours have passed since the recipient last replied to the sender number.", httpStatus: 400)

    /// 132001: no approved template `name` in `language`. HTTP 404, as in two independent captures of
    /// Meta's answer (a third saw 400); the details are Meta's wording.
    public static func templateMissing(name: String, language: String) -> GraphError {
        GraphError(code: 132001, title: "Template name does not exist in the translation",
                   details: "template name (\(name)) does not exist in \(language)", httpStatus: 404)
    }

    /// 132000: a template send whose body has `given` parameters where the template has `expected`.
    /// HTTP 400, as captured (reference §4.4).
    public static func templateParameters(given: Int, expected: Int) -> GraphError {
        GraphError(code: 132000, title: "Number of parameters does not match the expected number of params",
                   details: "body: number of localizable_params (\(given)) does not match the expected number of params (\(expected))",
                   httpStatus: 400)
    }
}
