import Wire
import LoadgenHTTP

/// EasyMO's 4-tier fallback for agent searches (reference/easymo.md §1.3): AI → ranking → database →
/// mock → a graceful message, never silence. Each tier's wording is the one the release notes and
/// `agent-fallback-handler.ts` promise, which is what the nine-pattern judging looks for.
extension Conversation {
    struct Found {
        var header: String
        var body: String
        var button: String
        var rows: [Listing]
    }

    /// The search's answer; nil only when a defect makes the bot fall silent.
    func search(_ agent: Agent, query: String, correlation: String) async -> Found? {
        let (noun, header, button, emoji) = Self.words(agent)
        guard let upstreams else {
            let rows = Array(catalogue.search(agent.category, query: query).prefix(5))
            return Found(header: header, body: Self.foundText(agent, rows.count, emoji, noun), button: button, rows: rows)
        }
        // Tier 1, AI: the LLM reads the request, the database finds the rows.
        let ai: Result<String, UpstreamClient.Failure>
        do { ai = .success(try await upstreams.complete(query.isEmpty ? agent.rawValue : query, correlation: correlation)) } catch {
            ai = .failure(error)
        }
        var databaseDown = false
        switch (ai, defect) {
        case (.failure(.unavailable), .silentWithoutLLM?): return nil  // defect: silence instead of the ranking answer
        case (.failure(.timeout), .timeoutLeaks?):
            return Found(header: header, body: "TimeoutError: upstream request exceeded the deadline", button: button, rows: [])
        default: break
        }
        if case .success = ai {
            do {
                let rows = Array(try await upstreams.listings(agent.category, query: query, correlation: correlation).prefix(5))
                if !rows.isEmpty { return Found(header: header, body: Self.foundText(agent, rows.count, emoji, noun), button: button, rows: rows) }
                // Pattern 6: no results → expand the search to the best-ranked alternatives.
                if defect == .emptySearchDumped { return Found(header: header, body: "[]", button: button, rows: []) }
                let alternatives = (try? await upstreams.ranking(agent.category, correlation: correlation)) ?? []
                let none = "😔 No \(noun) found for \"\(query.prefix(40))\" at this moment."
                guard !alternatives.isEmpty else { return Found(header: header, body: none + " Try browsing manually or check back in a few minutes.", button: button, rows: []) }
                return Found(header: header, body: none + " Here are alternatives nearby:", button: button, rows: Array(alternatives.prefix(5)))
            } catch {
                if defect == .databaseErrorLeaks {
                    return Found(header: header, body: "PGRST000: connection reset by peer", button: button, rows: [])
                }
                databaseDown = true  // the database failed after the AI answered: ranking next, and say we're busy
            }
        }
        // Tier 2, ranking: cached top-rated results (pattern 2), or partial results when the AI was too slow (pattern 5).
        if let rows = try? await upstreams.ranking(agent.category, correlation: correlation), !rows.isEmpty {
            let body = if databaseDown {
                "⚠️ We're busy right now, please try again in a moment. Meanwhile, the top-rated \(noun) near you:"
            } else if ai == .failure(.timeout) {
                "⏱️ This is taking longer than usual. Here are the top \(noun) so far:"
            } else {
                "⭐ Showing top-rated \(noun) near you:"
            }
            return Found(header: header, body: body, button: button, rows: Array(rows.prefix(5)))
        }
        // Tier 3, database: plain listings.
        if let rows = try? await upstreams.listings(agent.category, query: query, correlation: correlation), !rows.isEmpty {
            return Found(header: header, body: "Showing available options. We're busy right now, please try again later for more.",
                         button: button, rows: Array(rows.prefix(5)))
        }
        // Tier 4, mock: example results from the bot's own copy (pattern 8: the network is down).
        let rows = Array(catalogue.search(agent.category, query: query).prefix(5))
        guard !rows.isEmpty else {
            return Found(header: header, body: "Service temporarily unavailable. Please try again later.", button: button, rows: [])
        }
        return Found(header: header, body: "Showing example results. Please try again later for personalized recommendations.",
                     button: button, rows: rows)
    }

    static func words(_ agent: Agent) -> (noun: String, header: String, button: String, emoji: String) {
        switch agent {
        case .farmer: ("vendors", "Vendors", "View vendors", "🥬")
        case .rides: ("drivers", "Drivers", "View drivers", "🚖")
        case .waiter: ("restaurants", "Restaurants", "View restaurants", "🍽️")
        case .jobs: ("jobs", "Jobs", "View jobs", "💼")
        case .realEstate: ("places to rent", "Property", "View places", "🏠")
        case .buySell: ("items for sale", "Marketplace", "View items", "🛍️")
        case .insurance, .support: ("options", "EasyMO", "View", "")
        }
    }

    static func foundText(_ agent: Agent, _ count: Int, _ emoji: String, _ noun: String) -> String {
        switch agent {
        case .farmer: "\(emoji) I found \(count) vendors near you. Pick one to order:"
        case .rides: "\(emoji) I found \(count) drivers near you. Pick one:"
        case .waiter: "\(emoji) Here are \(count) restaurants near you:"
        case .jobs: "\(emoji) I found \(count) jobs for you:"
        case .realEstate: "\(emoji) I found \(count) places to rent:"
        case .buySell: "\(emoji) I found \(count) items for sale:"
        case .insurance, .support: "Here is what I found:"
        }
    }
}
