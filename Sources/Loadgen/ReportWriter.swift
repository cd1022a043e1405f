import Foundation
import LoadgenCore

/// The files a run can write next to report.json (`--format`).
enum ReportFormat: String, CaseIterable, Sendable {
    case json, md, junit, html

    var fileName: String {
        switch self {
        case .json: "report.json"
        case .md: "summary.md"
        case .junit: "junit.xml"
        case .html: "report.html"
        }
    }

    /// `all` or a comma-separated list (`md,junit`). report.json is always written: it is the source
    /// of truth that `compare` and `merge` read.
    static func parse(_ text: String) -> Set<ReportFormat>? {
        if text.trimmingSpaces == "all" { return Set(allCases) }
        var formats: Set<ReportFormat> = [.json]
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let format = ReportFormat(rawValue: String(item).trimmingSpaces) else { return nil }
            formats.insert(format)
        }
        return formats
    }

    static let help = "Report files to write next to report.json: all (default), or a list of json, md (summary.md), junit (junit.xml), html (report.html)."
}

/// Writes a run's report files atomically (each to a temporary file renamed over the old one), so a
/// reader never sees half a report and an interrupted write leaves the previous one intact.
/// report.json goes first: it is the source of truth, and the other formats are rendered from it.
enum ReportWriter {
    /// Writes `report` in `formats` into `directory` (created if needed); returns the paths written.
    static func write(_ report: Report, formats: Set<ReportFormat> = Set(ReportFormat.allCases),
                      to directory: String) throws(LoadgenFailure) -> [String] {
        let dir = URL(fileURLWithPath: directory, isDirectory: true)
        do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
            throw LoadgenFailure(.cannotWriteReport, "cannot create \(dir.path): \(error.localizedDescription)")
        }
        var written: [String] = []
        for format in ReportFormat.allCases where formats.contains(format) || format == .json {
            let file = dir.appendingPathComponent(format.fileName)
            do {
                try bytes(of: report, as: format).write(to: file, options: .atomic)
            } catch {
                throw LoadgenFailure(.cannotWriteReport, "cannot write \(file.path): \(error.localizedDescription)")
            }
            written.append(file.path)
        }
        return written
    }

    static func bytes(of report: Report, as format: ReportFormat) throws -> Data {
        switch format {
        case .json: try report.jsonBytes()
        case .md: Data(MarkdownSummary.render(report).utf8)
        case .junit: Data(JUnitReport.render(report).utf8)
        case .html: Data(try HTMLReport.render(report).utf8)
        }
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
