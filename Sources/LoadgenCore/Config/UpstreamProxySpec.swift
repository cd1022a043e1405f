/// `--upstream NAME=URL@HOST:PORT`: a fault proxy the run hosts in front of one of an external target's
/// real upstreams. The bot's base URL for that upstream points at `HOST:PORT`; the proxy injects the
/// run's chaos plan at the upstream's injection sites and passes everything else through.
public struct UpstreamProxySpec: Sendable, Hashable {
    /// `llm`, `database`, … (see `sites`).
    public var name: String
    /// The injection sites the upstream stands for.
    public var sites: [InjectionSite]
    /// Where the real upstream is.
    public var upstream: TargetURL
    /// Where the proxy listens.
    public var listen: HostPort

    public init(name: String, sites: [InjectionSite], upstream: TargetURL, listen: HostPort) {
        self.name = name
        self.sites = sites
        self.upstream = upstream
        self.listen = listen
    }

    /// The upstream names `--upstream` takes, and the injection sites each stands for (a database such as
    /// EasyMO's Supabase also holds the sessions and the catalogue).
    public static let sites: [String: [InjectionSite]] = [
        "llm": [.llm], "database": [.database, .search, .sessionStore], "search": [.search], "sessions": [.sessionStore],
        "payments": [.payments], "agents": [.agentBackend], "graph": [.vendorNotify],
    ]

    /// The name of an upstream whose proxy covers `site` (for the error that asks for one).
    public static func name(covering site: InjectionSite) -> String? {
        sites.filter { $0.value.contains(site) }.keys.sorted().first
    }

    /// Parses `NAME=URL@HOST:PORT`.
    public static func parse(_ text: String) throws(ConfigError) -> UpstreamProxySpec {
        guard let equals = text.firstIndex(of: "="), let at = text.lastIndex(of: "@"), equals < at else {
            throw ConfigError("--upstream must be NAME=URL@HOST:PORT, e.g. llm=https://api.openai.com@127.0.0.1:8081 (got '\(text)')")
        }
        let name = String(text[..<equals])
        guard let sites = sites[name] else {
            throw ConfigError("--upstream: unknown upstream '\(name)'; choose \(Self.sites.keys.sorted().joined(separator: ", "))")
        }
        let upstream: TargetURL
        do { upstream = try TargetURL(String(text[text.index(after: equals)..<at])) } catch {
            throw ConfigError("--upstream \(name): \(error)")
        }
        let address = text[text.index(after: at)...]
        guard let listen = HostPort.parse(String(address)) else {
            throw ConfigError("--upstream \(name): the proxy's address after '@' must be HOST:PORT such as 127.0.0.1:8081 (got '\(address)')")
        }
        return UpstreamProxySpec(name: name, sites: sites, upstream: upstream, listen: listen)
    }
}
