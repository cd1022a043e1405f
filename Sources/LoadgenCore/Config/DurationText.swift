/// Times as people write them, on the command line and in chaos specs: plain seconds (`300`, `0.5`) or a
/// number with a unit (`500ms`, `30s`, `5m`, `1h`). The one parser every flag and spec uses.
///
/// ```swift
/// DurationText.parse("5m")          // .seconds(300)
/// DurationText.parseRange("2s-5s")  // .seconds(2) ... .seconds(5)
/// DurationText.parse("1e12")        // nil: longer than `maximum`
/// ```
public enum DurationText {
    /// The longest time loadgen takes anywhere (a run, a pause, a timeout, a fault window): 30 days.
    /// Longer values are refused rather than converted: a run must be bounded, and nanoseconds of
    /// larger values would not fit the clock's arithmetic.
    public static let maximum: Duration = .seconds(30 * 86_400)

    /// The duration `text` says, or nil when it is not a time from 0 up to `maximum`.
    public static func parse(_ text: String) -> Duration? {
        let t = text.trimmingSpaces.lowercased()
        var number = Substring(t)
        var scale = 1.0
        for (suffix, factor) in [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)] where t.hasSuffix(suffix) {
            number = t.dropLast(suffix.count)
            scale = factor
            break
        }
        guard number.first?.isNumber == true || number.first == ".", let value = Double(number), value.isFinite, value >= 0 else {
            return nil
        }
        let seconds = value * scale
        guard seconds <= maximum.inSeconds else { return nil }  // checked before the conversion, which would trap
        return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }

    /// A range `MIN-MAX` (e.g. `2s-5s`) or a single time, with MIN ≤ MAX.
    public static func parseRange(_ text: String) -> ClosedRange<Duration>? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return parse(text).map { $0 ... $0 }
        case 2:
            guard let lo = parse(String(parts[0])), let hi = parse(String(parts[1])), lo <= hi else { return nil }
            return lo ... hi
        default: return nil
        }
    }

    /// A duration as people write it: `300ms`, `2s`, `1.5s`, `5m` (whole minutes), `2h` (whole hours).
    public static func format(_ d: Duration) -> String {
        let seconds = d.inSeconds
        if seconds >= 3600, seconds.truncatingRemainder(dividingBy: 3600) == 0 { return "\(Int64(seconds / 3600))h" }
        if seconds >= 60, seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int64(seconds / 60))m" }
        if seconds < 1, seconds > 0 { return CriterionMetric.trim((seconds * 1e6).rounded() / 1e3) + "ms" }
        return CriterionMetric.trim(seconds) + "s"
    }

    /// Seconds as a Double, for reports.
    public static func seconds(_ d: Duration) -> Double { d.inSeconds }
}
