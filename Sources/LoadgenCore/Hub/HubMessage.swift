/// What a hub (`loadgen hub`) and its shards (`loadgen run --hub URL`) say to each other: one JSON object
/// per WebSocket text message, `{"type":"…",…}`.
///
/// Times are nanoseconds since 1970 on the *sender's* clock (its wall clock read once, then counted on
/// its monotonic clock): a shard never reads a hub time as one of its own, it converts it with its
/// `ClockSync` estimate.
///
/// ```
/// shard → hub   hello (shard, fingerprint) · ping · ready · finished
/// hub → shard   welcome · refused (why) · pong (hub time) · start (hub time) · beat
///               send (a bot send, as the bot posted it) · refusal · fault
/// ```
public enum HubMessage: Sendable, Equatable {
    /// A shard introduces itself: which shard, and the run it was started for.
    case hello(Shard, RunFingerprint)
    /// A clock probe; the hub answers `pong` with the same id at once.
    case ping(id: Int)
    /// The shard passed its preflight and waits for the start.
    case ready
    /// The shard's run is over (its last replies' statuses are out): nothing more is owed to it.
    case finished

    /// The hub takes the shard.
    case welcome
    /// The hub does not take the shard, and why (another run, a shard already taken, a run already begun).
    case refused(String)
    /// The hub's clock when it answered `ping(id)`.
    case pong(id: Int, hubTime: Int64)
    /// Start the load at hub time `hubTime`, every shard alike.
    case start(hubTime: Int64)
    /// Says the hub is there when nothing else was said for a second.
    case beat

    /// A bot send the stand-in Graph API accepted, as the bot posted it, the wamid the stand-in answered
    /// with (nil: not a message — a read receipt, a typing indicator), and when it arrived (hub time).
    case send(body: String, wamid: String?, hubTime: Int64)
    /// A send the stand-in refused (counted as `replies.refused`).
    case refusal
    /// A fault the hub's stand-ins or fault proxies injected: its pattern, the turn it hit (the inbound
    /// wamid the bot sent as `X-Correlation-ID`, nil when it sent none), and whether it judges the turn.
    case fault(FailurePattern, turn: String?, judgesTheTurn: Bool)
}

extension HubMessage {
    /// The message as one line of compact JSON.
    public var encoded: String {
        var w = JSONWriter(capacity: 128)
        w.object { w in
            w.field("type", string: type)
            switch self {
            case .hello(let shard, let f):
                w.int("shard", shard.index)
                w.int("of", shard.count)
                f.write(into: &w)
            case .ping(let id): w.int("id", id)
            case .pong(let id, let at):
                w.int("id", id)
                w.int("at", at)
            case .refused(let why): w.field("reason", string: why)
            case .start(let at): w.int("at", at)
            case .send(let body, let wamid, let at):
                w.field("body", string: body)
                if let wamid { w.field("wamid", string: wamid) }
                w.int("at", at)
            case .fault(let pattern, let turn, let judges):
                w.field("pattern", string: pattern.rawValue)
                if let turn { w.field("turn", string: turn) }
                w.field("judges") { $0.bool(judges) }
            case .ready, .finished, .welcome, .beat, .refusal: break
            }
        }
        return String(decoding: w.bytes, as: UTF8.self)
    }

    private var type: String {
        switch self {
        case .hello: "hello"
        case .ping: "ping"
        case .ready: "ready"
        case .finished: "finished"
        case .welcome: "welcome"
        case .refused: "refused"
        case .pong: "pong"
        case .start: "start"
        case .beat: "beat"
        case .send: "send"
        case .refusal: "refusal"
        case .fault: "fault"
        }
    }

    /// A message from its line; nil when it is not one (another program on the port, a newer loadgen).
    public init?(decoding text: String) {
        guard let v = try? JSONValue.parse(Array(text.utf8)), let type = try? v.string("type") else { return nil }
        guard let message = try? Self.read(type, v) else { return nil }
        self = message
    }

    private static func read(_ type: String, _ v: JSONValue) throws -> HubMessage? {
        switch type {
        case "hello":
            guard let shard = Shard(index: try v.int("shard"), count: try v.int("of")) else { return nil }
            return .hello(shard, try RunFingerprint(reading: v))
        case "ping": return .ping(id: try v.int("id"))
        case "ready": return .ready
        case "finished": return .finished
        case "welcome": return .welcome
        case "refused": return .refused(try v.string("reason") ?? "")
        case "pong": return .pong(id: try v.int("id"), hubTime: try v.int("at"))
        case "start": return .start(hubTime: try v.int("at"))
        case "beat": return .beat
        case "send": return .send(body: try v.string("body") ?? "", wamid: try v.string("wamid"), hubTime: try v.int("at"))
        case "refusal": return .refusal
        case "fault":
            guard let pattern = FailurePattern(rawValue: try v.string("pattern") ?? "") else { return nil }
            guard case .bool(let judges)? = v["judges"] else { return nil }
            return .fault(pattern, turn: try v.string("turn"), judgesTheTurn: judges)
        default: return nil
        }
    }
}

extension HubMessage {
    /// A field missing or of another type.
    struct Unreadable: Error {}
}

extension JSONWriter {
    /// Writes `"key":n`.
    mutating func int(_ key: String, _ value: some BinaryInteger) { field(key) { $0.rawNumber(String(value)) } }
}

extension JSONValue {
    /// A whole number at `key`, read from its literal (a nanosecond count does not survive a `Double`).
    func int<T: FixedWidthInteger>(_ key: String, as: T.Type = T.self) throws -> T {
        guard case .number(let literal)? = self[key], let n = T(literal) else { throw HubMessage.Unreadable() }
        return n
    }
}
