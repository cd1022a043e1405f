// The DSL's words. Lines in a builder block cannot start with `.` (Swift would read them as a member
// access on the line before), so each word starts with its namespace.

/// Sending: `Send.text("MENU")`, `Send.location(latitude:longitude:)`, `Send.image()`, …
public enum Send {
    /// A text message, one of `bodies` at random: `Send.text(oneOf: ["Hello", "Hi"])`.
    public static func text(oneOf bodies: [String]) -> Step { .send(.text(oneOf: bodies)) }
    /// A fixed text message: `Send.text("I need vegetables")`.
    public static func text(_ body: String) -> Step { .send(.text(oneOf: [body])) }
    /// A fixed reply-button tap: `Send.button(id: "pay_wallet", title: "💳 Wallet")`.
    public static func button(id: String, title: String) -> Step { .send(.buttonReply(id: id, title: title)) }
    /// A fixed list-row pick: `Send.listRow(id: "svc_rides", title: "🚖 Rides")`.
    public static func listRow(id: String, title: String) -> Step { .send(.listReply(id: id, title: title)) }
    /// A location share: `Send.location(latitude: -1.9536, longitude: 30.0605, name: "Kimironko")`.
    public static func location(latitude: Double, longitude: Double, name: String? = nil) -> Step {
        .send(.location(latitude: latitude, longitude: longitude, name: name))
    }
    /// A photo: `Send.image(caption: "my carte jaune")`.
    public static func image(caption: String? = nil) -> Step { .send(.image(caption: caption)) }
    /// A voice note (`voice: true`) or audio file: `Send.audio(voice: true)`.
    public static func audio(voice: Bool = true) -> Step { .send(.audio(voice: voice)) }
    /// A document: `Send.document("receipt.pdf")`.
    public static func document(_ filename: String = "document.pdf", caption: String? = nil) -> Step {
        .send(.document(filename: filename, caption: caption))
    }
    /// A sticker: `Send.sticker()`.
    public static func sticker(animated: Bool = false) -> Step { .send(.sticker(animated: animated)) }
    /// A video: `Send.video(caption: "the flat tyre")`.
    public static func video(caption: String? = nil) -> Step { .send(.video(caption: caption)) }
    /// A shared contact card: `Send.contact("Aline Uwase", phone: "+250788123456")`.
    public static func contact(_ name: String, phone: String) -> Step { .send(.contact(name: name, phone: phone)) }
    /// A cart from the catalog: `Send.order([CartItem(productID: "tomatoes-1kg", quantity: 2, price: 1500, currency: "RWF")])`.
    public static func order(_ items: [CartItem], catalog: String = "1022004589346612", text: String? = nil) -> Step {
        .send(.order(catalogID: catalog, items: items, text: text))
    }
    /// Meta's notice that the user changed their number (`type: system`, sent without `contacts[]`): a bot
    /// must not fail on it.
    public static func changedNumber() -> Step { .send(.changedNumber) }
    /// The answers to a WhatsApp Flow the bot sent: `Send.flowReply(["date": "2026-12-03", "seats": "2"])`.
    public static func flowReply(_ answers: [String: String]) -> Step { .send(.flowReply(answers: answers)) }
    /// The first message of a conversation started from a Click-to-WhatsApp ad:
    /// `Send.adClick("Is the 2-bedroom still free?", headline: "Flats in Kigali")`.
    public static func adClick(_ text: String, headline: String) -> Step { .send(.adClick(text: text, headline: headline)) }
    /// Deletes the user's previous message in the journey (`type: revoke`, as Meta sends it for WhatsApp
    /// Business app numbers): `Send.revoke()`. A bot should acknowledge it, not read it as text.
    public static func revoke() -> Step { .send(.revoke) }
    /// Edits the user's previous message in the journey (`type: edit`): `Send.edit("2 kg of tomatoes, not 3")`.
    /// Meta delivers edits as `Send.unsupported("edit")` for now (its page of 2026-06-11); this is the shape
    /// its edit webhook reference documents.
    public static func edit(_ text: String) -> Step { .send(.edit(text: text, caption: false)) }
    /// Edits the caption of the photo the user sent just before: `Send.edit(caption: "my new carte jaune")`.
    public static func edit(caption: String) -> Step { .send(.edit(text: caption, caption: true)) }
    /// A reaction to the bot's last message: `Send.reaction("👍")`; `Send.reaction(nil)` removes it.
    public static func reaction(_ emoji: String?) -> Step { .send(.reaction(emoji: emoji)) }
    /// A payload template: `Send.template("order", ["product": "tomatoes"])` renders `payloads/order.json`.
    public static func template(_ name: String, _ values: [String: String] = [:]) -> Step {
        .send(.template(name: name, values: values.mapValues { .string($0) }))
    }
    /// Several texts typed back to back, e.g. `Send.burst(["Hi", "I need vegetables"])`; the next
    /// `Expect.reply` waits for one answer to each.
    public static func burst(_ texts: [String]) -> Step { .send(.burst(texts)) }
    /// An unsupported message type: `Send.unsupported("poll_creation")`.
    public static func unsupported(_ kind: String = "poll_creation") -> Step { .send(.unsupported(kind: kind)) }
}

/// Expectations: `Expect.reply(.contains("vendors"))`, `Expect.reply(within: .seconds(2), .interactive)`.
public enum Expect {
    /// The bot must reply to the message before, matching `matcher`, within the default reply timeout.
    public static func reply(_ matcher: ReplyMatcher = .any) -> Step { .expectReply(within: nil, matching: matcher) }
    /// The same, within `timeout`.
    public static func reply(within timeout: Duration, _ matcher: ReplyMatcher = .any) -> Step {
        .expectReply(within: timeout, matching: matcher)
    }
}

/// Pauses: `Think.between(.seconds(1), .seconds(3))`.
public enum Think {
    /// A pause drawn uniformly from `min...max`.
    public static func between(_ min: Duration, _ max: Duration) -> Step { .think(min: min, max: max) }
}

/// Following the bot's own menus: `Choose.row(at: 0)`, `Choose.button(id: "pay_wallet")`, `Choose.any()`.
public enum Choose {
    /// The n-th list row the bot offered.
    public static func row(at index: Int) -> Step { .send(.choose(.row(at: index))) }
    /// The offered row with this id.
    public static func row(id: String) -> Step { .send(.choose(.rowID(id))) }
    /// The n-th button the bot offered.
    public static func button(at index: Int) -> Step { .send(.choose(.button(at: index))) }
    /// The offered button with this id.
    public static func button(id: String) -> Step { .send(.choose(.buttonID(id))) }
    /// The offered button whose title contains `title`.
    public static func button(titled title: String) -> Step { .send(.choose(.buttonTitled(title))) }
    /// Any offered button or row (seeded random).
    public static func any() -> Step { .send(.choose(.any)) }
}

/// Branching on what the bot said:
/// ```swift
/// Branch.on(.interactive) {
///     Choose.row(at: 0)
///     Expect.reply()
/// } otherwise: {
///     Send.text("MENU")
///     Expect.reply()
/// }
/// ```
public enum Branch {
    /// Runs `then` when the last reply matches `matcher`, else `otherwise`.
    public static func on(
        _ matcher: ReplyMatcher, @StepBuilder then: () -> [Step], @StepBuilder otherwise: () -> [Step] = { [] }
    ) -> Step {
        .branch(if: matcher, then: then(), else: otherwise())
    }
}
