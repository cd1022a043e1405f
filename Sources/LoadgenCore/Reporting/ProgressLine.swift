/// One progress line for long runs, e.g.
/// `[  30s/300s] 100 users · 852 turns (28.4/s, now 29/s) · errors 0 (0 %) · reply p95 4.2 ms · faults open: timeout`.
public enum ProgressLine {
    public static func render(_ p: Progress) -> String {
        let elapsed = p.elapsed.inSeconds
        let total = p.duration.inSeconds
        let m = p.metrics
        let rate = elapsed > 0 ? Double(m.turns) / elapsed : 0
        let now = Double(p.latest.turns) / max(0.001, p.interval.inSeconds)
        let p95 = m.reply.count > 0 ? m.reply.milliseconds(atPercentile: 95) : m.ack.milliseconds(atPercentile: 95)
        let label = m.reply.count > 0 ? "reply p95" : "ack p95"
        let elapsedText = String(Int(elapsed)) + "s"
        return "[" + String(repeating: " ", count: max(0, 5 - elapsedText.count)) + elapsedText + "/\(Int(total))s] "
            + "\(p.activeUsers) users · \(m.turns) turns (\(ConsoleSummary.fmt(rate))/s, now \(ConsoleSummary.fmt(now))/s) · "
            + "errors \(m.errorTurns) (\(ConsoleSummary.percent(m.errorRate))) · \(label) \(ConsoleSummary.fmt(p95)) ms"
            + (p.latest.faultsOpen.isEmpty ? "" : " · faults open: " + p.latest.faultsOpen.joined(separator: ", "))
    }
}
