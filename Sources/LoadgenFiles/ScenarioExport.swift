import LoadgenCore
import Yams

/// A scalar node (Yams' generic `Node(_:)` initialiser throws; this one cannot).
private func m(_ pairs: [(String, Node)]) -> Node { Node(pairs.map { (t($0.0), $0.1) }) }

private func t(_ s: String, _ tag: Tag = Tag(.implicit), _ style: Node.Scalar.Style = .any) -> Node { .scalar(Node.Scalar(s, tag, style)) }

extension ScenarioFile {
    /// Why a scenario cannot be written as a file.
    public struct NotExpressible: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// `scenario` as a scenario file (YAML) that `load` reads back into an equal value.
    public static func export(_ scenario: Scenario) throws(NotExpressible) -> String {
        var pairs: [(String, Node)] = [("name", t(scenario.name))]
        if !scenario.summary.isEmpty { pairs.append(("summary", t(scenario.summary))) }
        if let load = scenario.load { pairs.append(("load", Self.node(load))) }
        if !scenario.criteria.isEmpty { pairs.append(("criteria", Node(scenario.criteria.map { t($0) }))) }
        if !scenario.chaos.isEmpty {
            var specs: [Node] = []
            for fault in scenario.chaos.faults { specs.append(t(try Self.spec(fault))) }
            pairs.append(("chaos", Node(specs)))
        }
        if scenario.expectations != .easymo { pairs.append(("expectations", Self.node(scenario.expectations))) }
        pairs.append(("personas", Node(scenario.personas.map(Self.node))))
        do { return try Yams.serialize(node: m(pairs), allowUnicode: true, sortKeys: false) } catch {
            throw NotExpressible(description: "cannot write '\(scenario.name)' as YAML: \(error)")
        }
    }

    private static func node(_ load: LoadProfile) -> Node {
        switch load {
        case .users(let n, let d): m([("users", t(String(n))), ("duration", t(DurationText.format(d)))])
        case .arrivals(let rate, let d, let cap):
            m([("arrivals", number(rate)), ("duration", t(DurationText.format(d)))] + (cap.map { [("maxInFlight", t(String($0)))] } ?? []))
        case .stages(let stages, let cap):
            m([("stages", Node(stages.map { m([("duration", t(DurationText.format($0.duration))), ("rate", number($0.perSecond))]) }))]
                 + (cap.map { [("maxInFlight", t(String($0)))] } ?? []))
        }
    }

    /// A fault in `--chaos` syntax; one the syntax cannot say (its own expectation, a ramp) is refused.
    private static func spec(_ f: ChaosPlan.Fault) throws(NotExpressible) -> String {
        guard f.expected == f.pattern.expected, f.schedule.rampUp == .zero else {
            throw NotExpressible(description: "the \(f.pattern.rawValue) fault has its own expectation or a ramp, which a file's chaos line cannot say")
        }
        var name = f.pattern.rawValue
        if case .rateLimitBurst(let n) = f.shape { name += ":burst\(n)" } else if f.shape != f.pattern.defaultFault {
            throw NotExpressible(description: "the \(f.pattern.rawValue) fault has a shape of its own, which a file's chaos line cannot say")
        }
        var text = "\(name)=\(Self.decimal(f.schedule.rate))"
        if let w = f.schedule.window {
            text += "@\(DurationText.format(w.lowerBound))-" + (w.upperBound >= .seconds(86_400 * 365) ? "" : DurationText.format(w.upperBound))
        }
        return text
    }

    private static func node(_ e: Expectations) -> Node {
        let smoke = e.smoke
        return m([
            ("fallbackPhrases", Node(e.fallbackPhrases.map { t($0) })),
            ("graceful", m(e.graceful.sorted { $0.key.rawValue < $1.key.rawValue }.map { ($0.key.rawValue, node($0.value)) })),
            ("smoke", m([
                ("agentMessage", t(smoke.agentMessage)), ("agentAnswer", node(smoke.agentAnswer)),
                ("menuMessage", t(smoke.menuMessage)), ("menu", node(smoke.menu)),
                ("garbageMessage", t(smoke.garbageMessage)), ("unsupportedKind", t(smoke.unsupportedKind)),
            ])),
        ])
    }

    private static func node(_ p: Persona) -> Node {
        var pairs: [(String, Node)] = [("name", t(p.name))]
        if p.weight != 1 { pairs.append(("weight", t(String(p.weight)))) }
        if p.identity == .usernameOnly { pairs.append(("identity", t("username-only"))) }
        pairs.append(("steps", node(p.journey)))
        return m(pairs)
    }

    private static func node(_ steps: [Step]) -> Node { Node(steps.map(node)) }

    private static func node(_ step: Step) -> Node {
        switch step {
        case .send(let o): return node(o)
        case .expectReply(let within, let matcher):
            return m([("expect", node(matcher))] + (within.map { [("within", t(DurationText.format($0)))] } ?? []))
        case .think(let lo, let hi):
            return m([("think", t(lo == hi ? DurationText.format(lo) : "\(DurationText.format(lo))-\(DurationText.format(hi))"))])
        case .branch(let condition, let then, let otherwise):
            return m([("branch", m([("if", node(condition)), ("then", node(then))] + (otherwise.isEmpty ? [] : [("else", node(otherwise))])))])
        }
    }

    private static func node(_ o: Outgoing) -> Node {
        let null = t("null", Tag(.null))
        let (key, value): (String, Node) = switch o {
        case .text(let bodies): ("send", bodies.count == 1 ? t(bodies[0]) : Node(bodies.map { t($0) }))
        case .burst(let texts): ("burst", Node(texts.map { t($0) }))
        case .buttonReply(let id, let title): ("button", m([("id", t(id)), ("title", t(title))]))
        case .listReply(let id, let title): ("row", m([("id", t(id)), ("title", t(title))]))
        case .location(let lat, let lon, let name):
            ("location", m([("latitude", number(lat)), ("longitude", number(lon))] + (name.map { [("name", t($0))] } ?? [])))
        case .image(let caption): ("image", caption.map { m([("caption", t($0))]) } ?? null)
        case .audio(let voice): ("audio", m([("voice", t(voice ? "true" : "false"))]))
        case .document(let filename, let caption):
            ("document", m([("filename", t(filename))] + (caption.map { [("caption", t($0))] } ?? [])))
        case .sticker(let animated): ("sticker", m([("animated", t(animated ? "true" : "false"))]))
        case .video(let caption): ("video", caption.map { m([("caption", t($0))]) } ?? null)
        case .contact(let name, let phone): ("contact", m([("name", t(name)), ("phone", t(phone))]))
        case .order(let catalog, let items, let text):
            ("order", m([("catalog", t(catalog))] + (text.map { [("text", t($0))] } ?? []) + [("items", Node(items.map { i in
                m([("id", t(i.productID)), ("quantity", t(String(i.quantity))), ("price", number(i.price)), ("currency", t(i.currency))])
            }))]))
        case .changedNumber: ("changedNumber", null)
        case .flowReply(let answers): ("flowReply", m(answers.sorted { $0.key < $1.key }.map { ($0.key, t($0.value)) }))
        case .adClick(let text, let headline): ("adClick", m([("text", t(text)), ("headline", t(headline))]))
        case .reaction(let emoji): ("reaction", emoji.map { t($0) } ?? null)
        case .unsupported(let kind): ("unsupported", t(kind))
        case .revoke: ("revoke", null)
        case .edit(let text, let caption):
            // Quoted: a new text such as "null" or "" must read back as text, not as no value.
            ("edit", caption ? m([("caption", t(text, Tag(.str), .doubleQuoted))]) : t(text, Tag(.str), .doubleQuoted))
        case .choose(let c): ("choose", node(c))
        case .template(let name, let values):
            ("template", m([("name", t(name))] + (values.isEmpty ? [] : [("values", m(values.sorted { $0.key < $1.key }.map { k, v in (k, templateValue(v)) }))])))
        }
        return m([(key, value)])
    }

    private static func templateValue(_ v: PayloadTemplate.Value) -> Node {
        switch v {
        case .string(let s): t(s, Tag(.str), .doubleQuoted)
        case .number(let n): t(n)
        case .bool(let b): t(b ? "true" : "false")
        }
    }

    private static func node(_ c: Choice) -> Node {
        switch c {
        case .any: t("any")
        case .row(let i): m([("row", t(String(i)))])
        case .button(let i): m([("button", t(String(i)))])
        case .rowID(let id): m([("rowID", t(id))])
        case .buttonID(let id): m([("buttonID", t(id))])
        case .buttonTitled(let title): m([("buttonTitled", t(title))])
        }
    }

    private static func node(_ matcher: ReplyMatcher) -> Node {
        switch matcher {
        case .any: t("any")
        case .interactive: t("interactive")
        case .contains(let text): m([("contains", t(text))])
        case .regex(let r): m([("regex", t(r))])
        case .buttons(let b): m([("buttons", Node(b.map { t($0) }))])
        case .list(let text): m([("list", t(text))])
        case .oneOf(let ms): m([("oneOf", Node(ms.map(node)))])
        case .not(let inner): m([("not", node(inner))])
        }
    }

    private static func number(_ d: Double) -> Node { t(decimal(d)) }

    /// A number as people write it: `0.5`, `20`, no trailing `.0`.
    private static func decimal(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
    }
}
