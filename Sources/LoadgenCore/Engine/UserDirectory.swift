/// Which simulated user a number or a BSUID belongs to: how a bot's send (its `to`, or its `recipient`
/// for a username user) and a message id (its phone) find their user. Shared by the reply correlator and
/// the hub's shard map.
///
/// ```swift
/// let users = UserDirectory(Workload.population(6, seed: 1, shard: nil))
/// users.user(of: send)   // the index of the user the send is to
/// ```
public struct UserDirectory: Sendable {
    private let byPhone: [String: Int]
    private let byBSUID: [String: Int]

    /// The directory of `users` (each by its `index`).
    public init(_ users: [SimulatedUser]) {
        var phones: [String: Int] = [:], bsuids: [String: Int] = [:]
        phones.reserveCapacity(users.count)
        bsuids.reserveCapacity(users.count)
        for user in users {
            phones[user.phone] = user.index
            bsuids[user.bsuid] = user.index
        }
        byPhone = phones
        byBSUID = bsuids
    }

    /// The user whose number is `phone` (digits).
    public func user(phone: String) -> Int? { byPhone[phone] }

    /// The user a send is to: by its number, else by its BSUID.
    public func user(of send: GraphSend) -> Int? {
        send.toDigits.flatMap { byPhone[$0] } ?? send.recipient.flatMap { byBSUID[$0] }
    }
}
