import LoadgenCore
import Testing

/// A number, a BSUID, a read receipt's wamid or a fault's correlation id names the shard that owns the user.
@Suite struct ShardMapTests {
    let population = Workload.population(7, seed: 3, shard: nil)
    var map: ShardMap { ShardMap(population: population, shards: 3) }

    @Test func everySendGoesToTheShardThatSimulatesItsUser() {
        for shard in 0..<3 {
            for user in Workload.population(7, seed: 3, shard: Shard(index: shard, count: 3)!) {
                let reply = GraphSend.Kind.message(BotReply(type: "text", text: "hi"))
                #expect(map.shard(of: GraphSend(kind: reply, to: "+" + user.phone, recipient: nil, contextMessageID: nil)) == shard)
                #expect(map.shard(of: GraphSend(kind: reply, to: nil, recipient: user.bsuid, contextMessageID: nil)) == shard)
                let inbound = Wamid.inbound(phone: user.phone, sequence: 99)
                #expect(map.shard(of: GraphSend(kind: .markRead(messageID: inbound, typing: true), to: nil, recipient: nil, contextMessageID: nil)) == shard)
                #expect(map.shard(ofTurn: inbound) == shard)
            }
        }
    }

    @Test func whatNoUserOwnsGoesToShardZero() {
        let stranger = GraphSend(kind: .message(BotReply(type: "text", text: "hi")), to: "250700000001", recipient: nil, contextMessageID: nil)
        #expect(map.shard(of: stranger) == 0 && map.owner(of: stranger) == nil)
        #expect(map.shard(ofTurn: nil) == 0)
        #expect(map.shard(ofTurn: "req-1234") == 0)
        #expect(map.shard(ofTurn: Wamid.inbound(phone: "250700000001", sequence: 1)) == 0)
    }

    @Test func aWamidCarriesItsPhone() {
        for phone in ["250788123456", "1", String(repeating: "9", count: 20)] {
            #expect(Wamid.phone(of: Wamid.inbound(phone: phone, sequence: 12_345)) == phone)
            #expect(Wamid.phone(of: Wamid.outbound(phone: phone, sequence: 7)) == phone)
        }
        for notOne in ["", "wamid.", "wamid.!!!", "abc", "wamid." + Base64.encode([0x1C, 0x18, 40, 0x31])] {
            #expect(Wamid.phone(of: notOne) == nil, "\(notOne)")
        }
        #expect(Base64.decode(Array(Base64.encode(Array("any carnal pleas".utf8)).utf8)) == Array("any carnal pleas".utf8))
    }
}
