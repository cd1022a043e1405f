import LoadgenCore
import ReferenceBot

extension BotDefect {
    /// The defect that breaks `pattern`'s graceful fallback: the drill for that pattern must catch it.
    init(breaking pattern: FailurePattern) {
        self = switch pattern {
        case .agentUnavailable: .agentErrorLeaks
        case .aiServiceDown: .silentWithoutLLM
        case .contextLost: .lostSessionCrashes
        case .invalidInput: .ignoresBadInput
        case .timeout: .timeoutLeaks
        case .noResults: .emptySearchDumped
        case .paymentFailure: .paymentErrorLeaks
        case .networkIssues: .databaseErrorLeaks
        case .vendorUnavailable: .vendorErrorLeaks
        }
    }
}
