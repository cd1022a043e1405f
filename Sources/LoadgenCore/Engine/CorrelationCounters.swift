/// Counts of every Graph API send by match, and of read receipts.
public struct CorrelationCounters: Sendable, Equatable, Codable {
    public var matched: UInt64 = 0
    public var unsolicited: UInt64 = 0
    public var duplicate: UInt64 = 0
    public var wrongUser: UInt64 = 0
    public var unknownUser: UInt64 = 0
    /// Sends the stand-in Graph API refused as Meta would (unknown path, wrong method, bad token, another
    /// phone number id, a malformed body): a bot whose sends are broken shows here, not only as no reply.
    public var refused: UInt64 = 0
    public var markRead: UInt64 = 0
    /// Order notifications sent to stand-in vendors.
    public var vendorNotifications: UInt64 = 0
    public var typing: UInt64 = 0
    public init() {}

    private enum CodingKeys: String, CodingKey {
        case matched, unsolicited, duplicate, wrongUser, unknownUser, refused, markRead, vendorNotifications, typing
    }

    /// Reports of loadgen before `refused` was counted decode with none.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        matched = try c.decode(UInt64.self, forKey: .matched)
        unsolicited = try c.decode(UInt64.self, forKey: .unsolicited)
        duplicate = try c.decode(UInt64.self, forKey: .duplicate)
        wrongUser = try c.decode(UInt64.self, forKey: .wrongUser)
        unknownUser = try c.decode(UInt64.self, forKey: .unknownUser)
        refused = try c.decodeIfPresent(UInt64.self, forKey: .refused) ?? 0
        markRead = try c.decode(UInt64.self, forKey: .markRead)
        vendorNotifications = try c.decode(UInt64.self, forKey: .vendorNotifications)
        typing = try c.decode(UInt64.self, forKey: .typing)
    }
}

extension CorrelationCounters {
    /// Adds the counters of another shard.
    public mutating func merge(_ o: CorrelationCounters) {
        matched += o.matched
        unsolicited += o.unsolicited
        duplicate += o.duplicate
        wrongUser += o.wrongUser
        unknownUser += o.unknownUser
        refused += o.refused
        markRead += o.markRead
        vendorNotifications += o.vendorNotifications
        typing += o.typing
    }
}
