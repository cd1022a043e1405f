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

    /// The files `plan` asks for: its directory, else `reports/<UTC timestamp>-<name>`.
    public init(_ plan: ReportPlan, name: String, startedAt: Date) {
        self.init(directory: plan.directory ?? ReportWriter.defaultDirectory(scenario: name, now: startedAt), formats: plan.formats)
    }

    /// Creates the directory and writes (then removes) a file in it: a directory that cannot take the
    /// report is found before the run, not after it.
    public func prepare() throws(LoadgenFailure) {
        let dir = try ReportWriter.directory(directory)
        let probe = dir.appendingPathComponent(".loadgen-write-check")
        do {
            try Data("loadgen checks it can write its report here\n".utf8).write(to: probe)
            try FileManager.default.removeItem(at: probe)
        } catch {
            throw LoadgenFailure(.cannotWriteReport, "cannot write reports to \(dir.path): \(Self.reason(error))")
        }
    }

    public func update(_ snapshot: LoadgenCore.Progress) {}

    public func finish(_ report: Report) -> OutputResult { ReportWriter.writeAll(report, formats: formats, to: directory) }

    /// Why a file could not be written, in the words of the system (not Foundation's generic sentence).
    static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if ns.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: ns.code) {
            case .fileWriteOutOfSpace: return "no space left on the device"
            case .fileWriteNoPermission, .fileReadNoPermission: return "permission denied"
            case .fileWriteVolumeReadOnly: return "read-only file system"
            case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or directory"
            case .fileWriteFileExists: return "a file of that name is in the way"
            default: break
            }
        }
        if ns.domain == NSPOSIXErrorDomain, let text = strerror(Int32(ns.code)) { return String(cString: text).lowercased() }
        return error.localizedDescription
    }

}

/// Writes a run's report files atomically (each to a temporary file renamed over the old one), so a
/// reader never sees half a report and an interrupted write leaves the previous one intact.
/// report.json goes first: it is the source of truth, and the other formats are rendered from it.
public enum ReportWriter {
    /// Writes `report` in `formats` into `directory` (created if needed); returns the paths written.
    public static func write(_ report: Report, formats: Set<ReportFormat> = Set(ReportFormat.allCases),
                             to directory: String) throws(LoadgenFailure) -> [String] {
        let result = writeAll(report, formats: formats, to: directory)
        if let failure = result.failure { throw failure }
        return result.paths
    }

    /// Writes as many of the files as it can, report.json first; says which could not be written.
    public static func writeAll(_ report: Report, formats: Set<ReportFormat>, to directory: String) -> OutputResult {
        let dir: URL
        do { dir = try Self.directory(directory) } catch { return OutputResult(failure: error) }
        var result = OutputResult()
        for format in ReportFormat.allCases where formats.contains(format) || format == .json {
            let file = dir.appendingPathComponent(format.fileName)
            do {
                try bytes(of: report, as: format).write(to: file, options: .atomic)
                result.paths.append(file.path)
            } catch {
                result.failure = LoadgenFailure(.cannotWriteReport, "cannot write \(file.path): \(ReportFilesOutput.reason(error))")
                break  // report.json goes first; the others are rendered from the same report
            }
        }
        return result
    }

    /// `directory`, created if needed.
    static func directory(_ directory: String) throws(LoadgenFailure) -> URL {
        let dir = URL(fileURLWithPath: directory, isDirectory: true)
        do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
            throw LoadgenFailure(.cannotWriteReport, "cannot write reports to \(dir.path): cannot create the directory (\(ReportFilesOutput.reason(error)))")
        }
        return dir
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
