/// A persona's journey prepared for running: each send carries its expectation (the `Expect.reply`
/// right after it) and a stable label for per-step metrics, numbered depth-first through branches.
struct CompiledJourney: Sendable {
    indirect enum Node: Sendable {
        case send(Outgoing, expect: Expectation?, key: StepKey)
        case think(min: Duration, max: Duration)
        case branch(CompiledMatcher, then: [Node], else: [Node])
    }

    let persona: Persona
    let nodes: [Node]
    /// Whether the journey has a think step of its own (a pause besides the run's think time).
    let thinks: Bool

    init(_ persona: Persona) {
        self.persona = persona
        var number = 0
        nodes = Self.compile(persona.journey[...], persona: persona.name, number: &number)
        thinks = Self.thinks(nodes)
    }

    private static func thinks(_ nodes: [Node]) -> Bool {
        nodes.contains { node in
            switch node {
            case .think(_, let max): max > .zero
            case .branch(_, let a, let b): thinks(a) || thinks(b)
            case .send: false
            }
        }
    }

    private static func compile(_ steps: ArraySlice<Step>, persona: String, number: inout Int) -> [Node] {
        var nodes: [Node] = []
        var rest = steps
        while let step = rest.popFirst() {
            switch step {
            case .send(let outgoing):
                number += 1
                var expect: Expectation?
                if case .expectReply(let within, let matcher) = rest.first {
                    expect = Expectation(within: within, matcher: CompiledMatcher(matcher))
                    rest.removeFirst()
                }
                nodes.append(.send(outgoing, expect: expect, key: StepKey(persona: persona, step: "\(number) \(outgoing.summary)")))
            case .expectReply:
                continue  // an expectation with no send before it has nothing to wait for
            case .think(let lo, let hi):
                nodes.append(.think(min: lo, max: hi))
            case .branch(let matcher, let a, let b):
                let then = compile(a[...], persona: persona, number: &number)
                let otherwise = compile(b[...], persona: persona, number: &number)
                nodes.append(.branch(CompiledMatcher(matcher), then: then, else: otherwise))
            }
        }
        return nodes
    }
}

/// What a send step expects back: a reply matching `matcher`, within `within` (nil: the run's reply timeout).
struct Expectation: Sendable {
    var within: Duration?
    var matcher: CompiledMatcher
}
