import LoadgenCore

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
