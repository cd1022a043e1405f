/// One progress line for long runs, e.g.
/// `[  30s/300s] 100 users · 852 turns (28.4/s) · errors 0 (0 %) · reply p95 4.2 ms`.
public enum ProgressLine {
    public static func render(_ p: Progress) -> String {
        let elapsed = Double(p.elapsed.components.seconds)
        let total = Double(p.duration.components.seconds)
        let m = p.metrics
        let rate = elapsed > 0 ? Double(m.turns) / elapsed : 0
        let p95 = m.reply.count > 0 ? m.reply.milliseconds(atPercentile: 95) : m.ack.milliseconds(atPercentile: 95)
        let label = m.reply.count > 0 ? "reply p95" : "ack p95"
        let elapsedText = String(Int(elapsed)) + "s"
        return "[" + String(repeating: " ", count: max(0, 5 - elapsedText.count)) + elapsedText + "/\(Int(total))s] "
            + "\(p.activeUsers) users · \(m.turns) turns (\(ConsoleSummary.fmt(rate))/s) · "
            + "errors \(m.errorTurns) (\(ConsoleSummary.percent(m.errorRate))) · \(label) \(ConsoleSummary.fmt(p95)) ms"
    }
}
