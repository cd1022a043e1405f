/// The messages that change an earlier one of the user's — a deletion (`revoke`) and an edit — as Meta's
/// "Revoke messages" and "Edit messages" webhook references show them (2026-05-21 and 2026-06-11).
extension WebhookEnvelope {
    static func writeChange(_ w: inout JSONWriter, _ content: InboundMessage.Content) {
        switch content {
        case .revoke(let originalID):
            w.field("revoke") { w in w.object { w in w.field("original_message_id", string: originalID) } }
        case .edit(let originalID, let contextID, let message):
            w.field("edit") { w in
                w.object { w in
                    w.field("original_message_id", string: originalID)
                    // The message as it now reads: its own context, type and content node, as a message has them.
                    w.field("message") { w in
                        w.object { w in
                            w.field("context") { w in w.object { w in w.field("id", string: contextID) } }
                            w.field("type", string: message.typeName)
                            writeContent(&w, message)
                        }
                    }
                }
            }
        default:
            break  // written by writeContent
        }
    }
}
