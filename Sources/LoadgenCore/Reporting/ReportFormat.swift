/// The files a run can write next to report.json (`--format`).
public enum ReportFormat: String, CaseIterable, Sendable, Hashable {
    case json, md, junit, html

    /// The file's name in the report directory.
    public var fileName: String {
        switch self {
        case .json: "report.json"
        case .md: "summary.md"
        case .junit: "junit.xml"
        case .html: "report.html"
        }
    }

    /// `all` or a comma-separated list (`md,junit`). report.json is always written: it is the source
    /// of truth that `compare` and `merge` read.
    public static func parse(_ text: String) -> Set<ReportFormat>? {
        if text.trimmingSpaces == "all" { return Set(allCases) }
        var formats: Set<ReportFormat> = [.json]
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let format = ReportFormat(rawValue: String(item).trimmingSpaces) else { return nil }
            formats.insert(format)
        }
        return formats
    }

    /// The help text of `--format`.
    public static let help = "Report files to write next to report.json: all (default), or a list of json, md (summary.md), junit (junit.xml), html (report.html)."
}
