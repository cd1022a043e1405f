import Foundation
import LoadgenCore

/// Writes report.json atomically (a temporary file renamed over the old one), so a reader never sees
/// half a report and an interrupted write leaves the previous one intact.
enum ReportWriter {
    /// Writes `report` to `DIR/report.json`, creating `DIR`; returns the path.
    static func write(_ report: Report, to directory: String) throws(LoadgenFailure) -> String {
        let dir = URL(fileURLWithPath: directory, isDirectory: true)
        let file = dir.appendingPathComponent("report.json")
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try report.jsonBytes().write(to: file, options: .atomic)
        } catch {
            throw LoadgenFailure(.cannotWriteReport, "cannot write \(file.path): \(error.localizedDescription)")
        }
        return file.path
    }

    /// The default report directory: `reports/<UTC timestamp>-<scenario>`.
    static func defaultDirectory(scenario: String, now: Date = Date()) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return "reports/\(f.string(from: now))-\(scenario)"
    }
}
