/// How a bot handled one rate-limit burst (`network-issues:burst`): a user flooding it with messages
/// back to back, past its per-user limit. Pure, so every verdict is tested on chosen acks.
///
/// EasyMO's core limits each phone to 30 messages a minute and answers the excess
/// `429 {"error":"rate_limit_exceeded","retryAfter":n}` with `Retry-After` (reference/easymo.md §2.5).
/// So the burst is **graceful** when the limit engaged (some deliveries 429), every 429 said when to come
/// back (`Retry-After`), nothing failed, and the messages the bot did accept were answered; **wrong**
/// when the bot never limited the flood or limited without `Retry-After` (Meta's retries would hammer
/// it); **errored** when a delivery failed or got a 5xx (the flood hurt the bot); **silent** when the
/// bot accepted messages and answered none of them.
public enum FloodJudgement {
    public enum Verdict: Sendable, Equatable {
        case graceful, wrong, silent, errored

        /// The verdict as the network-issues pattern counts it.
        public var outcome: PatternOutcome {
            switch self {
            case .graceful: .graceful
            case .wrong: .wrong
            case .silent: .silent
            case .errored: .errored
            }
        }
    }

    /// One delivery of the burst: its result and the `Retry-After` seconds of a 429.
    public struct Ack: Sendable, Equatable {
        public var result: DeliveryResult
        public var retryAfter: Int?
        public init(_ result: DeliveryResult, retryAfter: Int? = nil) {
            self.result = result
            self.retryAfter = retryAfter
        }
    }

    /// The verdict on a burst's acks; `answered`: whether the accepted messages got their replies (or
    /// replies are not awaited).
    public static func judge(_ acks: [Ack], answered: Bool) -> Verdict {
        for ack in acks {
            switch ack.result {
            case .failed: return .errored
            case .status(let s) where s >= 500: return .errored
            default: continue
            }
        }
        let limited = acks.filter { $0.result == .status(429) }
        guard !limited.isEmpty, limited.allSatisfy({ ($0.retryAfter ?? 0) > 0 }) else { return .wrong }
        let accepted = acks.contains { $0.result == .status(200) }
        return accepted && !answered ? .silent : .graceful
    }

    /// How long the user waits before writing again: the longest `Retry-After` the bot asked for.
    public static func backOff(_ acks: [Ack]) -> Duration {
        .seconds(acks.compactMap(\.retryAfter).max() ?? 0)
    }
}
