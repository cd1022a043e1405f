import Foundation

/// One simulated WhatsApp user: the identity Meta would put in `contacts[]` and `messages[].from`.
///
/// Identities are deterministic per seed and index: the same `--seed` gives the same phone numbers,
/// names and BSUIDs, so a run can be repeated and a report line traced back to a user.
public struct SimulatedUser: Sendable, Hashable {
    /// Position of the user in the run (0-based).
    public let index: Int
    /// Digits-only phone number (`wa_id`, `from`), e.g. `250788123456`.
    public let phone: String
    /// WhatsApp profile name; some have accents, so bodies exercise `\u` escaping.
    public let profileName: String
    /// Business-scoped user id (`contacts[].user_id`, `messages[].from_user_id`), e.g. `RW.1349120865530274191`.
    public let bsuid: String
    /// The user's row of a users file beyond phone, name and bsuid (`{{column}}` in message text).
    public let fields: [String: String]

    /// Mints user `index` of the population for `seed`.
    ///
    /// Phone numbers are Rwandan mobile numbers (`2507`, an operator digit, 7 digits), unique within a run
    /// of up to 10⁷ users: the 7 digits are a bijective scramble of the index, so no two users share one.
    public init(index: Int, seed: UInt64) {
        self.index = index
        var random = SeededRandom(seed: seed, stream: UInt64(index) &+ 0x5EED)
        let operatorDigit = ["2", "3", "8", "9"][Int(random.next() % 4)]
        let scrambled = Self.scramble(UInt32(index % 10_000_000), seed: seed)
        phone = "2507" + operatorDigit + Self.pad(Int(scrambled), width: 7)
        let first = Self.firstNames[Int(random.next() % UInt64(Self.firstNames.count))]
        let last = Self.lastNames[Int(random.next() % UInt64(Self.lastNames.count))]
        profileName = first + " " + last
        var digits = ""
        for _ in 0..<19 { digits.append(Character(Unicode.Scalar(UInt8(ascii: "0") + UInt8(random.next() % 10)))) }
        bsuid = "RW." + digits
        fields = [:]
    }

    /// A user with a given identity: a smoke test's allow-listed test number (digits only).
    public init(index: Int, phone: String, profileName: String, bsuid: String, fields: [String: String] = [:]) {
        self.index = index
        self.phone = phone
        self.profileName = profileName
        self.bsuid = bsuid
        self.fields = fields
    }

    /// The names `{{…}}` in message text may use: phone, name, bsuid, and a users file's other columns.
    public static let standardFields = ["phone", "name", "bsuid"]

    /// Whether `{{name}}` is a generator rather than a field: `{{number:LO-HI}}` (a whole number drawn
    /// from LO…HI for each message) or `{{id}}` (a fresh 12-character id for each message).
    public static func isGenerator(_ name: String) -> Bool { name == "id" || numberRange(name) != nil }

    /// `number:LO-HI` as its bounds, LO ≤ HI.
    static func numberRange(_ name: String) -> ClosedRange<Int>? {
        guard name.hasPrefix("number:") else { return nil }
        let bounds = name.dropFirst(7).split(separator: "-", maxSplits: 1).map { Int($0) }
        guard bounds.count == 2, let lo = bounds[0], let hi = bounds[1], lo <= hi else { return nil }
        return lo ... hi
    }

    /// `text` with each `{{field}}` replaced by this user's value and each generator by a value drawn
    /// from `random` (unknown names are left as written; a plan refuses them before the run).
    public func personalise(_ text: String, random: inout SeededRandom) -> String {
        guard text.utf8.contains(UInt8(ascii: "{")) else { return text }  // most texts: no placeholder, one byte scan
        var out = ""
        var rest = text[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            out += rest[..<open.lowerBound]
            let name = String(rest[open.upperBound..<close.lowerBound])
            out += value(of: name, random: &random) ?? "{{\(name)}}"
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    private func value(of name: String, random: inout SeededRandom) -> String? {
        if name == "id" {
            let alphabet = Array("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ")
            return String((0..<12).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
        }
        if let range = Self.numberRange(name) {
            let span = UInt64(range.upperBound - range.lowerBound) + 1
            return String(range.lowerBound + Int(random.next() % span))
        }
        return value(of: name)
    }

    private func value(of field: String) -> String? {
        switch field {
        case "phone": phone
        case "name": profileName
        case "bsuid": bsuid
        default: fields[field]
        }
    }

    /// A bijection on 0..<10⁷ keyed by the seed: an affine map with a multiplier coprime to 10⁷.
    static func scramble(_ value: UInt32, seed: UInt64) -> UInt32 {
        let modulus: UInt64 = 10_000_000
        let multiplier: UInt64 = 7_654_321  // coprime with 10⁷ (not divisible by 2 or 5)
        let offset = seed % modulus
        return UInt32((UInt64(value) % modulus * multiplier + offset) % modulus)
    }

    private static func pad(_ n: Int, width: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    static let firstNames = [
        "Aimé", "Uwase", "Jean", "Claudine", "Eric", "Aline", "Patrick", "Diane", "Olivier", "Grâce",
        "Emmanuel", "Josiane", "Théo", "Chantal", "Innocent", "Solange", "Kevin", "Ange", "José", "Müller",
    ]
    static let lastNames = [
        "Mugisha", "Uwimana", "Niyonzima", "Habimana", "Mukamana", "Nshimiyimana", "Iradukunda", "Ndayisenga",
        "Ingabire", "Kamanzi", "Bizimana", "Umutoni", "Hakizimana", "Nyirahabimana", "Ntwari", "Gatete",
    ]
}

extension WebhookEnvelope {
    /// Renders one inbound message from `user` to `business`.
    ///
    /// - Parameter includeBSUID: send `contacts[].user_id` and `messages[].from_user_id`, as Meta does on
    ///   every delivery since April 2026. Off only to reproduce older captures (and the signature vector).
    public static func render(
        _ message: InboundMessage, from user: SimulatedUser, business: BusinessIdentity, includeBSUID: Bool = true
    ) -> [UInt8] {
        render(message, phone: user.phone, profileName: user.profileName,
               bsuid: includeBSUID ? user.bsuid : nil, business: business)
    }
}
