/// The message kinds that share something rather than say it — a contact card, an order, a Flow's
/// answers, a changed number — and the ad a conversation came from.
extension WebhookEnvelope {
    static func writeSharedContent(_ w: inout JSONWriter, _ content: InboundMessage.Content) {
        switch content {
        case .contact(let name, let phone, let waID):
            w.field("contacts") { w in w.array { w in writeContactCard(&w, name: name, phone: phone, waID: waID) } }
        case .order(let catalogID, let items, let text):
            w.field("order") { w in
                w.object { w in
                    w.field("catalog_id", string: catalogID)
                    if let text { w.field("text", string: text) }
                    w.field("product_items") { w in
                        w.array { w in
                            for item in items {
                                w.object { w in
                                    w.field("product_retailer_id", string: item.productID)
                                    w.field("quantity") { $0.rawNumber(String(item.quantity)) }
                                    w.field("item_price") { $0.rawNumber(Self.number(item.price)) }
                                    w.field("currency", string: item.currency)
                                }
                            }
                        }
                    }
                }
            }
        case .flowReply(let responseJSON, let body):
            w.field("interactive") { w in
                w.object { w in
                    w.field("type", string: "nfm_reply")
                    w.field("nfm_reply") { w in
                        w.object { w in
                            w.field("response_json", string: responseJSON)
                            w.field("body", string: body)
                            w.field("name", string: "flow")
                        }
                    }
                }
            }
        case .changedNumber(let body, let newWaID):
            w.field("system") { w in
                w.object { w in
                    w.field("body", string: body)
                    w.field("wa_id", string: newWaID)
                    w.field("type", string: "user_changed_number")
                }
            }
        default:
            break  // written by writeContent
        }
    }

    /// Where a Click-to-WhatsApp conversation came from, as Meta adds it to the first message.
    static func writeReferral(_ w: inout JSONWriter, _ r: InboundMessage.Referral) {
        w.field("referral") { w in
            w.object { w in
                w.field("source_url", string: "https://fb.me/" + r.sourceID)
                w.field("source_id", string: r.sourceID)
                w.field("source_type", string: "ad")
                w.field("headline", string: r.headline)
                w.field("body", string: r.body)
                w.field("media_type", string: "image")
                w.field("image_url", string: "https://scontent.xx.fbcdn.net/v/t45.1600-4/" + r.sourceID + ".jpg")
                w.field("ctwa_clid", string: r.clickID)
            }
        }
    }

    /// A price as JSON writes it: `1500`, `2.5` (no trailing `.0`).
    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// A contact card as Meta delivers it: `name.formatted_name` (and first name), one phone.
    private static func writeContactCard(_ w: inout JSONWriter, name: String, phone: String, waID: String?) {
        w.object { w in
            w.field("name") { w in
                w.object { w in
                    w.field("first_name", string: String(name.split(separator: " ").first ?? Substring(name)))
                    w.field("formatted_name", string: name)
                }
            }
            w.field("phones") { w in
                w.array { w in
                    w.object { w in
                        w.field("phone", string: phone)
                        w.field("type", string: "CELL")
                        if let waID { w.field("wa_id", string: waID) }
                    }
                }
            }
        }
    }

}
