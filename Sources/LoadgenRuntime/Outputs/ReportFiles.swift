import Foundation
import LoadgenCore

/// The report files as an output: when the run ends, report.json and the other formats, atomically.
public struct ReportFilesOutput: RunOutput {
    /// Where they go.
    public let directory: String
    public let formats: Set<ReportFormat>

    public init(directory: String, formats: Set<ReportFormat>) {
        self.directory = directory
        self.formats = formats
    }

    public func update(_ snapshot: LoadgenCore.Progress) {}

    public func finish(_ report: Report) throws(LoadgenFailure) -> [String] {
        try ReportWriter.write(report, formats: formats, to: directory)
    }
}

/// Writes a run's report files atomically (each to a temporary file renamed over the old one), so a
/// reader never sees half a report and an interrupted write leaves the previous one intact.
/// report.json goes first: it is the source of truth, and the other formats are rendered from it.
public enum ReportWriter {
    /// Writes `report` in `formats` into `directory` (created if needed); returns the paths written.
    public static func write(_ report: Report, formats: Set<ReportFormat> = Set(ReportFormat.allCases),
                      to directory: String) throws(LoadgenFailure) -> [String] {
        let dir = URL(fileURLWithPath: directory, isDirectory: true)
        do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
            throw LoadgenFailure(.cannotWriteReport, "cannot write reports to \(dir.path): cannot create the directory (\(error.localizedDescription))")
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

    public static func bytes(of report: Report, as format: ReportFormat) throws -> Data {
        switch format {
        case .json: try report.jsonBytes()
        case .md: Data(MarkdownSummary.render(report).utf8)
        case .junit: Data(JUnitReport.render(report).utf8)
        case .html: Data(try HTMLReport.render(report).utf8)
        }
    }

    /// The default report directory: `reports/<UTC timestamp>-<scenario>`.
    public static func defaultDirectory(scenario: String, now: Date = Date()) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return "reports/\(f.string(from: now))-\(scenario)"
    }
}
