import Wire
import LoadgenHTTP

/// EasyMO's keyword intent classifier (wa-webhook-unified `core/intent-classifier.ts`, reference/easymo.md §4.3).
///
/// Counts case-insensitive substring matches per agent (bytes of the lowercased text, as the
/// TypeScript's `includes`); rides scores ×1.5 and insurance ×1.3;
/// confidence = min(0.95, score / max(0.3 × words, 1)); below 0.5 the message goes to support.
enum Agent: String, Sendable, CaseIterable {
    case rides, farmer, waiter, jobs, realEstate = "real_estate", insurance, buySell = "buy_sell", support

    /// The keywords, folded once for matching.
    var folded: [FoldedText] { Self.foldedKeywords[self]! }
    private static let foldedKeywords = Dictionary(uniqueKeysWithValues: allCases.map { ($0, $0.keywords.map(FoldedText.init)) })

    var keywords: [String] {
        switch self {
        case .buySell: ["buy", "sell", "product", "shop", "store", "market", "item", "business", "investment", "broker", "deal"]
        case .jobs: ["job", "work", "employ", "hire", "career", "vacancy", "cv", "interview", "salary"]
        case .realEstate: ["property", "house", "apartment", "rent", "room", "landlord", "lease", "bedroom", "flat"]
        case .farmer: ["farm", "produce", "crop", "harvest", "vegetable", "maize", "beans", "cassava", "potato", "tomato"]
        case .waiter: ["menu", "food", "order", "restaurant", "bar", "drink", "meal", "eat", "table", "reservation", "book"]
        case .insurance: ["insurance", "certificate", "carte jaune", "policy", "cover", "premium", "claim", "motor", "vehicle"]
        case .rides: ["ride", "driver", "passenger", "transport", "pick", "drop", "take me", "going to", "trip", "taxi", "moto", "car"]
        case .support: ["help", "support", "question", "how", "what", "why", "problem", "issue"]
        }
    }

    /// The listings this agent offers (support offers none: it maps to the menu's categories).
    var category: ListingCategory {
        switch self {
        case .rides: .rides
        case .farmer: .farmer
        case .waiter: .waiter
        case .jobs: .jobs
        case .realEstate: .realEstate
        case .insurance: .insurance
        case .buySell: .buySell
        case .support: .farmer
        }
    }

    var weight: Double {
        switch self {
        case .rides: 1.5
        case .insurance: 1.3
        default: 1
        }
    }
}

struct IntentClassifier: Sendable {
    /// The agent for `text`, with its confidence.
    func classify(_ text: String) -> (agent: Agent, confidence: Double) {
        let lower = FoldedText(text)
        let words = max(1, lower.bytes.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") }).count)
        var best: (Agent, Double) = (.support, 0)
        for agent in Agent.allCases {
            let score = Double(agent.folded.count { lower.contains($0) }) * agent.weight
            if score > best.1 { best = (agent, score) }
        }
        let confidence = min(0.95, best.1 / max(0.3 * Double(words), 1))
        return confidence < 0.5 ? (.support, confidence) : (best.0, confidence)
    }
}
