extension WebhookEnvelope {
    /// Who sent each message in a delivery, over every entry and change: per message, the keys a reply
    /// addresses its sender by — the phone (`from`) and the BSUID (`from_user_id`), whichever it has.
    /// Statuses and value-level errors carry no message and give nothing; a body that is not JSON gives
    /// nothing either (it is no delivery Meta would make).
    ///
    /// ```swift
    /// WebhookEnvelope.senders(in: body)   // [["250788123456", "RW.1a2b…"]]: one message, one sender
    /// ```
    public static func senders(in body: [UInt8]) -> [[String]] {
        guard let root = try? JSONValue.parse(body), let entries = try? root.array("entry") else { return [] }
        var senders: [[String]] = []
        for entry in entries {
            for change in (try? entry.array("changes")) ?? [] {
                for message in (try? change.object("value")?.array("messages")) ?? [] {
                    let keys = [try? message.string("from"), try? message.string("from_user_id")].compactMap { $0 ?? nil }
                    if !keys.isEmpty { senders.append(keys) }
                }
            }
        }
        return senders
    }
}
