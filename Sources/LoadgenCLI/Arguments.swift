import ArgumentParser
import LoadgenCore

/// Flag values parsed once, when the arguments are parsed, into the core's typed values. A value that
/// does not parse is refused there, with a sentence saying what to write (exit 64).
enum Arguments {
    static func duration(_ text: String) throws -> Duration {
        guard let d = DurationText.parse(text) else {
            throw ValidationError("write seconds (300) or a number with a unit (500ms, 30s, 5m, 1h), at most 30 days")
        }
        return d
    }

    static func durationRange(_ text: String) throws -> ClosedRange<Duration> {
        guard let range = DurationText.parseRange(text) else { throw ValidationError("write a time or a range MIN-MAX such as 2s-5s") }
        return range
    }

    static func hostPort(_ text: String) throws -> HostPort {
        guard let address = HostPort.parse(text) else { throw ValidationError("write HOST:PORT such as 127.0.0.1:4100 (port 0 picks a free one)") }
        return address
    }

    /// `HOST:PORT`, or a port alone for loopback (`--graph-proxy 0`: 127.0.0.1, a free port).
    static func loopbackOrHostPort(_ text: String) throws -> HostPort {
        if let port = Int(text), (0...65535).contains(port) { return HostPort(host: "127.0.0.1", port: port) }
        guard let address = HostPort.parse(text) else {
            throw ValidationError("write HOST:PORT such as 127.0.0.1:4200, or a port alone for 127.0.0.1 (0 picks a free one)")
        }
        return address
    }

    static func url(_ text: String) throws -> TargetURL {
        do { return try TargetURL(text) } catch { throw ValidationError(error.description) }
    }

    static func chaos(_ text: String) throws -> ChaosPlan {
        do { return try ChaosPlan.parse(text) } catch { throw ValidationError(error.description) }
    }

    static func criteria(_ text: String) throws -> CriteriaSpec {
        do { return try CriteriaSpec(text) } catch { throw ValidationError(error.description) }
    }

    static func shard(_ text: String) throws -> Shard {
        guard let shard = Shard(text) else { throw ValidationError("write I/N with N at least 1 and I from 0 to N-1, e.g. 0/4") }
        return shard
    }

    static func upstream(_ text: String) throws -> UpstreamProxySpec {
        do { return try UpstreamProxySpec.parse(text) } catch { throw ValidationError(error.message) }
    }

    static func formats(_ text: String) throws -> Set<ReportFormat> {
        guard let formats = ReportFormat.parse(text) else { throw ValidationError("write all or a list of json, md, junit, html") }
        return formats
    }

    /// A file or directory path, as given: refused when the shell handed over bytes that are not UTF-8
    /// (they would come back as U+FFFD, and the files would land under another name).
    static func path(_ text: String) throws -> String {
        guard !text.contains("\u{FFFD}") else { throw ValidationError("the path is not valid UTF-8; rename it or give another") }
        guard !text.isEmpty else { throw ValidationError("the path is empty") }
        return text
    }

    /// A comma list, each item trimmed; empty items are refused.
    static func list(_ text: String) throws -> [String] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map(\.trimmingSpaces)
        guard !items.contains(where: \.isEmpty) else { throw ValidationError("write one name or a comma list without empty items") }
        return items
    }

    static func tunnels(_ text: String) throws -> [GraphProxySpec.Tunnel] {
        try list(text).map { item in
            guard let tunnel = GraphProxySpec.Tunnel.parse(item) else { throw ValidationError("write HOST or HOST:PORT such as api.openai.com:443 (got '\(item)')") }
            return tunnel
        }
    }

    static func pattern(_ text: String) throws -> FailurePattern {
        guard let pattern = FailurePattern(rawValue: text) else {
            throw ValidationError("unknown failure pattern '\(text)' (see 'loadgen list patterns')")
        }
        return pattern
    }
}

/// `on` / `off` flags, such as `--statuses`.
enum Toggle: String, CaseIterable, ExpressibleByArgument, Sendable {
    case on, off
}

extension ReplyMode: ExpressibleByArgument {}
extension SmokeEnvironment: ExpressibleByArgument {}
