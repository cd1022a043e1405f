import LoadgenCore
import Testing

/// The hub protocol's messages: every kind survives its line, and what is not one is refused, not guessed.
@Suite struct HubMessageTests {
    static let fingerprint = RunFingerprint(scenario: "généric", seed: .max, users: 6, population: 0xFEED_FACE_CAFE_BEEF, chaos: 1)

    static let all: [HubMessage] = [
        .hello(Shard(index: 2, count: 3)!, fingerprint), .ping(id: 7), .ready, .finished, .welcome, .refused("another \"run\""),
        .pong(id: 7, hubTime: 1_796_529_303_892_123_456), .start(hubTime: -5), .beat,
        .send(body: #"{"to":"250788123456","text":{"body":"Muraho 🥬"}}"#, wamid: "wamid.X==", hubTime: 42),
        .send(body: "{}", wamid: nil, hubTime: 0),
        .refusal, .fault(.aiServiceDown, turn: "wamid.Z", judgesTheTurn: true), .fault(.networkIssues, turn: nil, judgesTheTurn: false),
    ]

    @Test(arguments: all)
    func eachMessageSurvivesItsLine(message: HubMessage) {
        #expect(HubMessage(decoding: message.encoded) == message, "\(message.encoded)")
        #expect(!message.encoded.contains("\n"))
    }

    @Test(arguments: ["", "not json", #"{"type":"nope"}"#, #"{"type":"ping"}"#, #"{"type":"ping","id":1.5}"#,
                      #"{"type":"hello","shard":3,"of":3,"scenario":"g","seed":"1","users":1,"population":"1","chaos":"1"}"#,
                      #"{"type":"fault","pattern":"no-such-pattern","judges":true}"#, #"{"id":1}"#])
    func whatIsNotAMessageIsRefused(line: String) {
        #expect(HubMessage(decoding: line) == nil)
    }

    @Test func aFingerprintSaysTheFirstDifferenceInWords() {
        let users = (0..<4).map { SimulatedUser(index: $0, seed: 1) }
        let hub = RunFingerprint(scenario: "generic", seed: 1, population: users, chaos: [.inject(.aiServiceDown, rate: 1)])
        #expect(hub.mismatch(hub) == nil)
        var other = hub
        other.seed = 2
        #expect(hub.mismatch(other) == "the shard runs with --seed 2, the hub with 1")
        let fewer = RunFingerprint(scenario: "generic", seed: 1, population: Array(users.prefix(3)), chaos: [.inject(.aiServiceDown, rate: 1)])
        #expect(hub.mismatch(fewer) == "the shard's run has 3 users, the hub's 4")
        let calm = RunFingerprint(scenario: "generic", seed: 1, population: users, chaos: [])
        #expect(hub.mismatch(calm) == "the shard's chaos plan differs from the hub's (give both the same --chaos)")
        let renamed = RunFingerprint(scenario: "generic", seed: 1, population: users.map {
            SimulatedUser(index: $0.index, phone: "1" + $0.phone, profileName: $0.profileName, bsuid: $0.bsuid)
        }, chaos: [.inject(.aiServiceDown, rate: 1)])
        #expect(hub.mismatch(renamed) == "the shard's users have other numbers than the hub's (another --users-file?)")
    }
}

extension HubMessage: CustomTestStringConvertible {
    public var testDescription: String { encoded }
}
