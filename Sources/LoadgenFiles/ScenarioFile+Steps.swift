import LoadgenCore
import Yams

extension NodeReader {
    /// The step kinds, each a key of its own; `within` goes with `expect`.
    static let matcherKeys = ["contains", "regex", "buttons", "list", "oneOf", "not"]
    static let chooseKeys = ["row", "button", "rowID", "buttonID", "buttonTitled"]
    static let smokeKeys = ["agentMessage", "agentAnswer", "menuMessage", "menu", "garbageMessage", "unsupportedKind"]
    static let expectationKeys = ["fallbackPhrases", "graceful", "smoke"]
    static let stepKeys = ["send", "burst", "button", "row", "location", "image", "audio", "document", "sticker", "video", "contact",
                           "order", "changedNumber", "flowReply", "adClick", "reaction", "unsupported", "revoke", "edit", "template", "expect",
                           "within", "think", "choose", "branch", "repeat"]

    mutating func steps(_ node: Node) -> [Step]? {
        guard let items = sequence(node, "steps") else { return nil }
        return items.flatMap { step($0) ?? [] }
    }

    /// One step (a `repeat` is several).
    mutating func step(_ node: Node) -> [Step]? {
        let said = problems.count
        guard let pairs = mapping(node, "a step", allowed: Self.stepKeys) else { return nil }
        let kinds = pairs.filter { $0.key != "within" }
        guard kinds.count == 1, let (kind, _, value) = kinds.first else {
            if kinds.isEmpty, problems.count > said { return nil }  // its unknown key was said already
            if kinds.isEmpty, pairs.contains(where: { $0.key == "within" }) {
                fail(node, "within goes with expect, in the same step (- expect: any, then within: 2s under it)")
                return nil
            }
            fail(node, "a step is one of: \(Self.stepKeys.filter { $0 != "within" }.joined(separator: ", ")) (this one has \(kinds.isEmpty ? "none" : kinds.map(\.key).joined(separator: " and ")))")
            return nil
        }
        if let within = pairs.first(where: { $0.key == "within" }), kind != "expect" {
            fail(within.keyNode, "within goes with expect")
        }
        switch kind {
        case "expect":
            let within = pairs.first { $0.key == "within" }.flatMap { duration($0.value, "within") }
            return matcher(value).map { [.expectReply(within: within, matching: $0)] }
        case "think":
            guard let text = string(value, "think") else { return nil }
            guard let range = DurationText.parseRange(text) else {
                fail(value, "think must be a time or a range such as 2s or 1s-3s (got '\(text)')")
                return nil
            }
            return [.think(min: range.lowerBound, max: range.upperBound)]
        case "choose": return choice(value).map { [.send(.choose($0))] }
        case "branch": return branch(value).map { [$0] }
        case "repeat": return repeated(value)
        default: return outgoing(kind, value).map { [.send($0)] }
        }
    }

    private mutating func outgoing(_ kind: String, _ value: Node) -> Outgoing? {
        switch kind {
        case "send": return strings(value, "send").map { .text(oneOf: $0) }
        case "burst": return strings(value, "burst").map { .burst($0) }
        case "button", "row":
            guard let (id, title) = idAndTitle(value, kind) else { return nil }
            return kind == "button" ? .buttonReply(id: id, title: title) : .listReply(id: id, title: title)
        case "location":
            let f = fields(value, "location", ["latitude", "longitude", "name"])
            guard let lat = f["latitude"].flatMap({ double($0, "latitude") }), let lon = f["longitude"].flatMap({ double($0, "longitude") }) else {
                fail(value, "a location needs latitude and longitude")
                return nil
            }
            return .location(latitude: lat, longitude: lon, name: f["name"].flatMap { string($0, "name") })
        case "image": return .image(caption: fields(value, "image", ["caption"])["caption"].flatMap { string($0, "caption") })
        case "audio": return .audio(voice: fields(value, "audio", ["voice"])["voice"].flatMap { bool($0, "voice") } ?? true)
        case "document":
            let f = fields(value, "document", ["filename", "caption"])
            return .document(filename: f["filename"].flatMap { string($0, "filename") } ?? "document.pdf",
                             caption: f["caption"].flatMap { string($0, "caption") })
        case "sticker": return .sticker(animated: fields(value, "sticker", ["animated"])["animated"].flatMap { bool($0, "animated") } ?? false)
        case "video": return .video(caption: fields(value, "video", ["caption"])["caption"].flatMap { string($0, "caption") })
        case "contact":
            let f = fields(value, "contact", ["name", "phone"])
            guard let name = f["name"].flatMap({ string($0, "name") }), let phone = f["phone"].flatMap({ string($0, "phone") }) else {
                fail(value, "a contact needs a name and a phone")
                return nil
            }
            return .contact(name: name, phone: phone)
        case "order": return order(value)
        case "changedNumber": return .changedNumber
        case "flowReply":
            guard case .mapping(let m) = value else { fail(value, "flowReply takes the flow's answers: {field: value}"); return nil }
            var answers: [String: String] = [:]
            for (k, v) in m {
                guard let key = string(k, "a flow field"), let answer = string(v, "a flow answer") else { return nil }
                answers[key] = answer
            }
            return .flowReply(answers: answers)
        case "adClick":
            let f = fields(value, "adClick", ["text", "headline"])
            guard let text = f["text"].flatMap({ string($0, "text") }) else { fail(value, "an adClick needs a text"); return nil }
            return .adClick(text: text, headline: f["headline"].flatMap { string($0, "headline") } ?? "")
        case "reaction": return .reaction(emoji: isNull(value) ? nil : string(value, "reaction"))
        case "unsupported": return .unsupported(kind: isNull(value) ? "poll_creation" : string(value, "unsupported") ?? "poll_creation")
        case "revoke":
            guard isNull(value) else { fail(value, "revoke takes no value: it deletes the user's previous message (revoke: null)"); return nil }
            return .revoke
        case "edit": return edit(value)
        default: return template(value)
        }
    }

    /// `edit: the new text`, or `edit: {caption: the photo's new caption}`.
    private mutating func edit(_ node: Node) -> Outgoing? {
        let usage = "edit takes the new text (edit: 2 kg, not 3) or a photo's new caption (edit: {caption: my new carte jaune})"
        switch node {
        case .scalar where !isNull(node): return string(node, "edit").map { .edit(text: $0, caption: false) }
        case .mapping:
            let said = problems.count
            if let caption = fields(node, "edit", ["caption"])["caption"].flatMap({ string($0, "edit.caption") }) {
                return .edit(text: caption, caption: true)
            }
            if problems.count == said { fail(node, usage) }
            return nil
        default:
            fail(node, usage)
            return nil
        }
    }

    /// `order: {catalog, text, items: [{id, quantity, price, currency}]}`.
    private mutating func order(_ node: Node) -> Outgoing? {
        let f = fields(node, "order", ["catalog", "text", "items"])
        guard let list = f["items"].flatMap({ sequence($0, "order items") }), !list.isEmpty else {
            fail(node, "an order needs items: [{id, quantity, price, currency}]")
            return nil
        }
        var items: [CartItem] = []
        for entry in list {
            let i = fields(entry, "an order item", ["id", "quantity", "price", "currency"])
            guard let id = i["id"].flatMap({ string($0, "id") }), let quantity = i["quantity"].flatMap({ int($0, "quantity", atLeast: 1) }),
                  let price = i["price"].flatMap({ double($0, "price") }), let currency = i["currency"].flatMap({ string($0, "currency") })
            else {
                fail(entry, "an order item needs id, quantity (1 or more), price and currency")
                return nil
            }
            items.append(CartItem(productID: id, quantity: quantity, price: price, currency: currency))
        }
        return .order(catalogID: f["catalog"].flatMap { string($0, "catalog") } ?? "1022004589346612", items: items,
                      text: f["text"].flatMap { string($0, "text") })
    }

    private mutating func template(_ node: Node) -> Outgoing? {
        let f = fields(node, "template", ["name", "values"])
        guard let name = f["name"].flatMap({ string($0, "template name") }) else { fail(node, "a template needs a name"); return nil }
        var values: [String: PayloadTemplate.Value] = [:]
        if let v = f["values"], !isNull(v) {
            guard case .mapping(let m) = v else { fail(v, "template values must be a mapping (key: value lines)"); return nil }
            for (k, value) in m {
                guard let key = k.scalar?.string, case .scalar(let s) = value else { fail(value, "a template value must be text, a number or true/false"); continue }
                let plain = s.style == .plain
                values[key] = if plain, ["true", "false"].contains(s.string) { .bool(s.string == "true") }
                    else if plain, Double(s.string) != nil { .number(s.string) }
                    else { .string(s.string) }
            }
        }
        return .template(name: name, values: values)
    }

    /// A `null` or empty value (`image:` with no caption).
    private func isNull(_ node: Node) -> Bool {
        if case .scalar(let s) = node { return s.style == .plain && ["", "null", "~"].contains(s.string) }
        return false
    }

    /// The named fields of a mapping (absent or `null`: none).
    private mutating func fields(_ node: Node, _ what: String, _ allowed: [String]) -> [String: Node] {
        if isNull(node) { return [:] }
        return Dictionary(mapping(node, what, allowed: allowed)?.map { ($0.key, $0.value) } ?? []) { a, _ in a }
    }

    private mutating func idAndTitle(_ node: Node, _ what: String) -> (String, String)? {
        let f = fields(node, what, ["id", "title"])
        guard let id = f["id"].flatMap({ string($0, "id") }) else { fail(node, "a \(what) needs an id (and a title)"); return nil }
        return (id, f["title"].flatMap { string($0, "title") } ?? id)
    }

    private mutating func choice(_ node: Node) -> Choice? {
        if case .scalar(let s) = node {
            guard s.string == "any" else { fail(node, "choose is any, or one of row, button, rowID, buttonID, buttonTitled (got '\(s.string)')"); return nil }
            return .any
        }
        let said = problems.count
        guard let pairs = mapping(node, "choose", allowed: Self.chooseKeys), pairs.count == 1,
              let (key, _, value) = pairs.first
        else {
            if problems.count == said { fail(node, "choose takes one of row, button, rowID, buttonID, buttonTitled") }
            return nil
        }
        switch key {
        case "row": return int(value, "choose.row", atLeast: 0).map { .row(at: $0) }
        case "button": return int(value, "choose.button", atLeast: 0).map { .button(at: $0) }
        case "rowID": return string(value, "choose.rowID").map { .rowID($0) }
        case "buttonID": return string(value, "choose.buttonID").map { .buttonID($0) }
        default: return string(value, "choose.buttonTitled").map { .buttonTitled($0) }
        }
    }

    private mutating func branch(_ node: Node) -> Step? {
        guard let pairs = mapping(node, "branch", allowed: ["if", "then", "else"]) else { return nil }
        var condition: ReplyMatcher?, then: [Step]?, otherwise: [Step] = []
        for (key, _, value) in pairs {
            switch key {
            case "if": condition = matcher(value)
            case "then": then = steps(value)
            default: otherwise = steps(value) ?? []
            }
        }
        guard let condition, let then else { fail(node, "a branch needs if (a matcher) and then (steps)"); return nil }
        return .branch(if: condition, then: then, else: otherwise)
    }

    private mutating func repeated(_ node: Node) -> [Step]? {
        guard let pairs = mapping(node, "repeat", allowed: ["times", "steps"]) else { return nil }
        let f = Dictionary(pairs.map { ($0.key, $0.value) }) { a, _ in a }
        guard let times = f["times"].flatMap({ int($0, "repeat.times", atLeast: 1) }), let body = f["steps"].flatMap({ steps($0) }) else {
            fail(node, "repeat needs times (at least 1) and steps")
            return nil
        }
        return Array(repeating: body, count: min(times, 1000)).flatMap(\.self)
    }

    /// A reply matcher: `any`, `interactive`, or one of `contains`, `regex`, `buttons`, `list`, `oneOf`, `not`.
    mutating func matcher(_ node: Node) -> ReplyMatcher? {
        if case .scalar(let s) = node {
            switch s.string {
            case "any": return .any
            case "interactive": return .interactive
            default:
                fail(node, "a matcher is any, interactive, or one of contains, regex, buttons, list, oneOf, not (got '\(s.string)')")
                return nil
            }
        }
        let said = problems.count
        guard let pairs = mapping(node, "a matcher", allowed: Self.matcherKeys), pairs.count == 1,
              let (key, _, value) = pairs.first
        else {
            if problems.count == said { fail(node, "a matcher takes one of contains, regex, buttons, list, oneOf, not") }
            return nil
        }
        switch key {
        case "contains": return string(value, "contains").map { .contains($0) }
        case "regex": return string(value, "regex").map { .regex($0) }
        case "buttons": return strings(value, "buttons").map { .buttons($0) }
        case "list": return isNull(value) ? .list(containing: "") : string(value, "list").map { .list(containing: $0) }
        case "oneOf":
            guard let items = sequence(value, "oneOf") else { return nil }
            let ms = items.compactMap { matcher($0) }
            return ms.count == items.count ? .oneOf(ms) : nil
        default: return matcher(value).map { .not($0) }
        }
    }

    /// What the judging expects of the bot's words (EasyMO's where not said).
    mutating func expectations(_ node: Node) -> Expectations {
        var e = Expectations.easymo
        guard let pairs = mapping(node, "expectations", allowed: Self.expectationKeys) else { return e }
        for (key, _, value) in pairs {
            switch key {
            case "fallbackPhrases": e.fallbackPhrases = strings(value, "fallbackPhrases") ?? e.fallbackPhrases
            case "graceful":
                guard let patterns = mapping(value, "graceful", allowed: FailurePattern.allCases.map(\.rawValue)) else { continue }
                for (name, _, m) in patterns {
                    if let pattern = FailurePattern(rawValue: name), let matcher = matcher(m) { e.graceful[pattern] = matcher }
                }
            default: e.smoke = smoke(value, e.smoke)
            }
        }
        return e
    }

    private mutating func smoke(_ node: Node, _ base: Expectations.Smoke) -> Expectations.Smoke {
        var s = base
        for (key, _, value) in mapping(node, "expectations.smoke", allowed: Self.smokeKeys) ?? [] {
            switch key {
            case "agentMessage": s.agentMessage = string(value, key) ?? s.agentMessage
            case "agentAnswer": s.agentAnswer = matcher(value) ?? s.agentAnswer
            case "menuMessage": s.menuMessage = string(value, key) ?? s.menuMessage
            case "menu": s.menu = matcher(value) ?? s.menu
            case "garbageMessage": s.garbageMessage = string(value, key) ?? s.garbageMessage
            default: s.unsupportedKind = string(value, key) ?? s.unsupportedKind
            }
        }
        return s
    }
}
