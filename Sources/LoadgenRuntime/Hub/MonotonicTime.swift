import Foundation
import LoadgenCore

/// This process's clock as the hub protocol writes it (`HubMessage`): nanoseconds since 1970 as the wall
/// clock read them once, at `epoch`, and as the monotonic clock has counted since. Steps of the wall
/// clock (NTP) after that do not move it; the wall clocks of two machines differ by what `ClockSync`
/// measures — on one machine, by almost nothing.
struct MonotonicTime: Sendable {
    let epoch: ContinuousClock.Instant
    /// The wall clock at `epoch`, nanoseconds since 1970.
    let epochUnix: Int64

    init() {
        epoch = .now
        epochUnix = Int64((Date().timeIntervalSince1970 * 1e9).rounded())
    }

    /// Now.
    var now: Int64 { time(of: .now) }

    /// `instant`, in protocol time.
    func time(of instant: ContinuousClock.Instant) -> Int64 { epochUnix + epoch.duration(to: instant).nanoseconds }

    /// The instant of protocol time `time`.
    func instant(_ time: Int64) -> ContinuousClock.Instant { epoch.advanced(by: .nanoseconds(time - epochUnix)) }

    /// Protocol time `time` as milliseconds since 1970.
    static func unixMilliseconds(_ time: Int64) -> Int64 { time / 1_000_000 }

    /// Milliseconds since 1970 as protocol time.
    static func time(unixMilliseconds: Int64) -> Int64 { unixMilliseconds * 1_000_000 }

    /// `unix` milliseconds since 1970 as ISO 8601 with milliseconds (`2026-12-01T10:00:02.500Z`).
    static func iso(_ unix: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(unix) / 1000))
    }
}
