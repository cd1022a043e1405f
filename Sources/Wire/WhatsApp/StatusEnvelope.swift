/// Renders a status webhook (`value.statuses[]`, no `contacts`) for a message the bot sent, in the
/// minimal v24+ form Meta documents: id, status, timestamp, recipient_id.
public enum StatusEnvelope {
    /// A status of the bot's message `wamid` to `recipient` (digits, or the BSUID of a username user).
    public static func render(
        wamid: String, status: String, recipient: String, timestamp: Int64, business: BusinessIdentity
    ) -> [UInt8] {
        WebhookEnvelope.wrap(business: business, capacity: 512) { w in
            w.field("statuses") { w in
                w.array { w in
                    w.object { w in
                        w.field("id", string: wamid)
                        w.field("status", string: status)
                        w.field("timestamp", string: String(timestamp))
                        w.field("recipient_id", string: recipient)
                    }
                }
            }
        }
    }
}
