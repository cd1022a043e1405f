import LoadgenCore
import LoadgenHTTP
import NIOHTTP1

/// The stand-in's checks beyond a send's shape, as Meta makes them: the business's templates
/// (132001 / 132000, refused on the spot) and Meta's sending limits (131056 and 130429 refused on the
/// spot; 131047 accepted, then failed in a `failed` status). Both off unless the run asks.
extension GraphAPIStandIn {
    /// What the stand-in holds sends to, and who is told of a send Meta fails later.
    public struct Checks: Sendable {
        /// Meta's limits (`--graph-limits`); nil: none.
        public var limits: GraphLimitGate?
        /// The business's templates (`--graph-templates`); nil: any template goes through.
        public var templates: BusinessTemplates?
        /// Told of each send accepted with a wamid and failed later (its `failed` status is owed).
        public var onFailedLater: @Sendable (GraphSend, GraphError) -> Void

        public init(limits: GraphLimitGate? = nil, templates: BusinessTemplates? = nil,
                    onFailedLater: @escaping @Sendable (GraphSend, GraphError) -> Void = { _, _ in }) {
            self.limits = limits
            self.templates = templates
            self.onFailedLater = onFailedLater
        }
    }

    /// What the checks make of one message send.
    enum Screening {
        case deliver
        /// Meta's synchronous error, and whether it is a malformed send (a template the business lacks)
        /// rather than a limit hit (limits count their hits themselves).
        case refuse(GraphError, malformed: Bool)
        case failLater(GraphError)
    }

    /// Screens `send`, arrived at `now`: templates first (a send Meta cannot read is refused before it
    /// is counted against any limit), then the limits.
    func screen(_ send: GraphSend, at now: ContinuousClock.Instant) async -> Screening {
        if let templates = checks.templates, let call = send.template, let error = templates.check(call) {
            return .refuse(error, malformed: true)
        }
        guard let gate = checks.limits else { return .deliver }
        switch await gate.judge(send, at: now) {
        case .deliver: return .deliver
        case .refuse(let error): return .refuse(error, malformed: false)
        case .failLater(let error): return .failLater(error)
        }
    }

    /// Meta's synchronous envelope of `error`.
    static func error(_ error: GraphError) -> ServerResponse {
        Self.error(HTTPResponseStatus(statusCode: error.httpStatus), code: error.code, message: error.title, details: error.details)
    }
}
