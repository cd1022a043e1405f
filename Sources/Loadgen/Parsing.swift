import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime

/// Parses the duration syntax of `--duration`, `--think-time`, `--reply-timeout`:
/// plain seconds (`300`, `0.5`) or a number with a unit (`500ms`, `30s`, `5m`, `1h`).
enum DurationText {
    static func parse(_ text: String) -> Duration? {
        let t = text.trimmingSpaces.lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        var number = t
        var scale = 1.0
        for (suffix, factor) in units where t.hasSuffix(suffix) {
            number = String(t.dropLast(suffix.count))
            scale = factor
            break
        }
        guard let value = Double(number), value.isFinite, value >= 0 else { return nil }
        return .nanoseconds(Int64((value * scale * 1e9).rounded()))
    }

    /// A range `MIN-MAX` (e.g. `2s-5s`) or a single value.
    static func parseRange(_ text: String) -> ClosedRange<Duration>? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return parse(text).map { $0 ... $0 }
        case 2:
            guard let lo = parse(String(parts[0])), let hi = parse(String(parts[1])), lo <= hi else { return nil }
            return lo ... hi
        default: return nil
        }
    }

    /// Seconds as a Double, for reports.
    static func seconds(_ d: Duration) -> Double {
        d.inSeconds
    }
}

/// `HOST:PORT` (IPv6 as `[::1]:PORT`).
struct HostPort: Equatable {
    var host: String
    var port: Int

    static func parse(_ text: String) -> HostPort? {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (0...65535).contains(port) else { return nil }
        return HostPort(host: String(host), port: port)
    }
}

/// `--upstream NAME=URL@HOST:PORT`: a fault proxy the run hosts in front of one of an external target's
/// real upstreams. The bot's base URL for that upstream points at `HOST:PORT`; the proxy injects the
/// run's chaos plan at the upstream's sites and passes everything else through.
struct UpstreamProxySpec: Sendable, Equatable {
    var name: String
    var sites: [InjectionSite]
    var upstream: TargetURL
    var listen: HostPort

    static func parse(_ text: String) -> Result<UpstreamProxySpec, ParseFailure> {
        let names = FaultProxy.sites.keys.sorted().joined(separator: ", ")
        guard let equals = text.firstIndex(of: "="), let at = text.lastIndex(of: "@"), equals < at else {
            return .failure(.init("--upstream must be NAME=URL@HOST:PORT, e.g. llm=https://api.openai.com@127.0.0.1:8081 (got '\(text)')"))
        }
        let name = String(text[..<equals])
        guard let sites = FaultProxy.sites[name] else {
            return .failure(.init("--upstream: unknown upstream '\(name)'; choose \(names)"))
        }
        let upstream: TargetURL
        do { upstream = try TargetURL(String(text[text.index(after: equals)..<at])) } catch {
            return .failure(.init("--upstream \(name): \(error)"))
        }
        guard let listen = HostPort.parse(String(text[text.index(after: at)...])) else {
            return .failure(.init("--upstream \(name): the proxy's address after '@' must be HOST:PORT such as 127.0.0.1:8081 (got '\(text[text.index(after: at)...])')"))
        }
        return .success(UpstreamProxySpec(name: name, sites: sites, upstream: upstream, listen: listen))
    }

    struct ParseFailure: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }
}
