/// Which shard owns what the bot sends: users are deterministic from the seed (or a users file), so a
/// number or a BSUID is a user index, and `Shard.owns(user:)` makes the index a shard. A fault hit's
/// `X-Correlation-ID` is an inbound wamid, whose bytes carry the user's number (`Wamid.phone(of:)`).
/// A send to no user (a vendor's order notification) goes with the turn it names in `X-Correlation-ID`;
/// what is nobody's at all (a stranger, a refused send) goes to shard 0: counted once, by someone.
///
/// ```swift
/// let map = ShardMap(population: Workload.population(6, seed: 1, shard: nil), shards: 3)
/// map.shard(of: send)   // the index of the shard whose user the send is to
/// ```
public struct ShardMap: Sendable {
    /// How many shards the run has.
    public let shards: Int
    private let users: UserDirectory

    /// The map of the whole run's `population` across `shards` shards.
    public init(population: [SimulatedUser], shards: Int) {
        self.shards = max(1, shards)
        users = UserDirectory(population)
    }

    /// The shard of the user a send is to (`to` digits, else `recipient`; a read receipt: the user whose
    /// message it marks), or 0 when it is to no user.
    public func shard(of send: GraphSend) -> Int { owner(of: send) ?? 0 }

    /// The shard of the user a send is to, or nil when it is to no user (a vendor, a stranger).
    public func owner(of send: GraphSend) -> Int? {
        if case .markRead(let wamid, _) = send.kind, send.to == nil, send.recipient == nil {
            return Wamid.phone(of: wamid).flatMap(users.user(phone:)).map(shard(ofUser:))
        }
        let user = users.user(of: send)
        return user.map(shard(ofUser:))
    }

    /// The shard of the user whose inbound message `wamid` is, or 0 when it is no user's (or no wamid).
    public func shard(ofTurn wamid: String?) -> Int {
        guard let wamid, let phone = Wamid.phone(of: wamid), let user = users.user(phone: phone) else { return 0 }
        return shard(ofUser: user)
    }

    /// The shard of user `index`.
    public func shard(ofUser index: Int) -> Int { index % shards }
}
