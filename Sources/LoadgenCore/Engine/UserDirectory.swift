/// Which simulated user a number or a BSUID belongs to: how a bot's send (its `to`, or its `recipient`
/// for a username user) and a message id (its phone) find their user. Shared by the reply correlator and
/// the hub's shard map.
///
/// ```swift
/// let users = UserDirectory(Workload.population(6, seed: 1, shard: nil))
/// users.user(of: send)   // the index of the user the send is to
/// ```
public struct UserDirectory: Sendable {
    /// The users, and where each number and BSUID stands among them.
    private let users: [SimulatedUser]
    private let byPhone: [String: Int]
    private let byBSUID: [String: Int]

    /// The directory of `users` (each by its `index`).
    public init(_ users: [SimulatedUser]) {
        var phones: [String: Int] = [:], bsuids: [String: Int] = [:]
        phones.reserveCapacity(users.count)
        bsuids.reserveCapacity(users.count)
        for (position, user) in users.enumerated() {
            phones[user.phone] = position
            bsuids[user.bsuid] = position
        }
        self.users = users
        byPhone = phones
        byBSUID = bsuids
    }

    /// The user whose number is `phone` (digits).
    public func user(phone: String) -> Int? { byPhone[phone].map { users[$0].index } }

    /// The user a send is to: by its number, else by its BSUID.
    public func user(of send: GraphSend) -> Int? { position(of: send).map { users[$0].index } }

    /// The number and the BSUID of the user a send is to (what Meta's status webhooks name them by).
    public func identity(of send: GraphSend) -> (phone: String, bsuid: String)? {
        position(of: send).map { (users[$0].phone, users[$0].bsuid) }
    }

    private func position(of send: GraphSend) -> Int? {
        send.toDigits.flatMap { byPhone[$0] } ?? send.recipient.flatMap { byBSUID[$0] }
    }
}
