import ArgumentParser
import LoadgenCore

/// Meta's at-least-once delivery, played on demand (`loadgen run`).
struct DeliveryFlags: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Share of messages Meta delivers twice (same body and wamid; half of them concurrently), e.g. 0.05.", valueName: "fraction"))
    var duplicates: Double = 0

    @Option(parsing: .unconditional, help: "Redeliver a message whose webhook POST was not acked with 200, up to N times (at once, then after 1 s, 2 s, 4 s…); 0 = the first answer decides.")
    var retries: Int = 0

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Share of bursts (several messages typed back to back) Meta delivers out of order, e.g. 0.2.", valueName: "fraction"))
    var reorder: Double = 0

    @Option(parsing: .unconditional, help: "Batch up to N messages of different users into one POST, as Meta may (each waits at most 5 ms for company); 1 = off.")
    var batch: Int = 1

    @Option(help: ArgumentHelp("on: send sent/delivered/read status webhooks for every bot reply, as Meta does; off: none.",
                               valueName: "on|off"))
    var statuses: Toggle = .on

    @Option(help: ArgumentHelp("any: wait for each reply at the stand-in Graph API; none: judge acks only (replies cannot reach loadgen).",
                               valueName: "any|none"))
    var replies: ReplyMode = .any

    func apply(to config: inout RunConfig) {
        config.delivery = DeliveryOptions(duplicates: duplicates, retries: retries, batch: batch, reorder: reorder)
        config.statusCallbacks = statuses == .on
        config.replies = replies
    }
}
