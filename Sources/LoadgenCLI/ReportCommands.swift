import ArgumentParser
import Foundation
import LoadgenCore
import LoadgenRuntime

/// Reads a report.json given as a file or as the directory a run wrote it into.
enum ReportFile {
    static func load(_ path: String) throws(LoadgenFailure) -> Report {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LoadgenFailure(.noInput, "\(path): no such file")
        }
        let file = isDirectory.boolValue ? (path as NSString).appendingPathComponent("report.json") : path
        guard let data = FileManager.default.contents(atPath: file) else {
            throw LoadgenFailure(.noInput, "\(file): cannot read it")
        }
        struct Version: Decodable { var schemaVersion: Int? }
        if let version = (try? JSONDecoder().decode(Version.self, from: data))?.schemaVersion, version != Report.currentSchemaVersion {
            throw LoadgenFailure(.dataError, "\(file) has report schema version \(version); this loadgen reads version \(Report.currentSchemaVersion)")
        }
        do {
            return try JSONDecoder().decode(Report.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw LoadgenFailure(.dataError, "\(file) is not a loadgen report: '\(keyPath(context.codingPath + [key]))' is missing")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw LoadgenFailure(.dataError, "\(file) is not a loadgen report: '\(keyPath(context.codingPath))' has the wrong type")
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            throw LoadgenFailure(.dataError, "\(file): '\(keyPath(context.codingPath))': \(context.debugDescription)")
        } catch {
            throw LoadgenFailure(.dataError, "\(file) is not valid JSON")
        }
    }

    private static func keyPath(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }
}

extension Loadgen {
    /// `loadgen compare BASELINE CURRENT`: per-metric deltas and a regression verdict.
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare a run with a baseline: per-metric deltas, noise-aware, with a regression verdict.",
            discussion: """
                BASELINE and CURRENT are report.json files or the directories runs wrote them into. A metric \
                regresses only when its change is above the relative AND the absolute tolerance, outside the \
                baseline's 99 % confidence bound for that percentile (or proportion), with at least --min-samples \
                on both sides. Prints a Markdown table (also written to --output).
                Exit codes: 0 no regression, 2 regression, 64 usage, 65 not a report, 66 missing file, 73 cannot write.
                """)

        @Argument(help: "The baseline report (a report.json or its directory).", transform: Arguments.path)
        var baseline: String
        @Argument(help: "The report to judge.", transform: Arguments.path)
        var current: String

        @Option(help: ArgumentHelp("Relative tolerance for latencies, e.g. 20% or 0.2.", valueName: "fraction"))
        var relative: String = "20%"
        @Option(name: .customLong("absolute-ms"), help: "Absolute tolerance for latencies, in milliseconds.")
        var absoluteMs: Double = 5
        @Option(name: .customLong("rate-points"), help: "Absolute tolerance for rates, in percentage points.")
        var ratePoints: Double = 0.5
        @Option(name: .customLong("min-samples"), help: "Fewer samples than this on either side: the row is not judged.")
        var minSamples: Int = 100
        @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Also write the Markdown table to this file.", valueName: "file"),
                transform: Arguments.path)
        var output: String?
        @Option(help: ArgumentHelp("Also write the comparison as JUnit XML (a test case per metric) to this file.", valueName: "file"),
                transform: Arguments.path)
        var junit: String?

        func validate() throws {
            guard let r = Self.fraction(relative), r >= 0, r < 10 else {
                throw ValidationError("--relative must be a fraction or a percentage such as 0.2 or 20% (got '\(relative)')")
            }
            guard absoluteMs >= 0, absoluteMs.isFinite else { throw ValidationError("--absolute-ms must be 0 or more (got \(absoluteMs))") }
            guard (0...100).contains(ratePoints) else { throw ValidationError("--rate-points must be between 0 and 100 (got \(ratePoints))") }
            guard minSamples >= 1 else { throw ValidationError("--min-samples must be at least 1 (got \(minSamples))") }
        }

        static func fraction(_ text: String) -> Double? {
            let t = text.trimmingSpaces
            if t.hasSuffix("%") { return Double(t.dropLast()).map { $0 / 100 } }
            return Double(t)
        }

        func run() throws {
            let status: ExitStatus
            do throws(LoadgenFailure) {
                let base = try ReportFile.load(baseline)
                let cur = try ReportFile.load(current)
                var rules = ComparisonRules()
                rules.relative = Self.fraction(relative) ?? rules.relative  // checked by validate()
                rules.absoluteMilliseconds = absoluteMs
                rules.ratePoints = ratePoints / 100
                rules.minSamples = UInt64(minSamples)
                let comparison = ReportComparison(baseline: base, current: cur, rules: rules)
                let table = comparison.markdown(baselineName: baseline, currentName: current)
                StandardStreams.writeOutput(table + "\n")
                for (path, text) in [(output, table), (junit, comparison.junit(scenario: cur.run.scenario))] {
                    guard let path else { continue }
                    do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
                        throw LoadgenFailure(.cannotWriteReport, "cannot write \(path): \(error.localizedDescription)")
                    }
                }
                status = comparison.regressed ? .regression : .pass
            } catch {
                Loadgen.log("error: \(error.message)")
                status = error.status
            }
            if status != .pass { throw status.exitCode }
        }
    }

    /// `loadgen merge A B … -o OUT`: shard reports combined exactly, criteria judged again.
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge the reports of shards of one run: histograms and counters add exactly; criteria are judged again.",
            discussion: """
                Each input is a report.json (or its directory) written by loadgen 0.2 or later, which embeds \
                its histograms. OUT is a directory (report.json plus --format files) or a file ending in .json.
                Exit codes: 0 the merged run passes its criteria, 1 it fails them, 64 usage, 65 not a report or \
                not mergeable, 66 missing file, 73 cannot write.
                """)

        @Argument(help: "The shard reports.", transform: Arguments.path)
        var reports: [String] = []
        @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Where the merged report goes.", valueName: "dir|file.json"),
                transform: Arguments.path)
        var output: String
        @Option(help: ArgumentHelp(ReportFormat.help, valueName: "formats"), transform: Arguments.formats)
        var format: Set<ReportFormat>?

        func validate() throws {
            // One is enough: a run of several shards with one report left still merges, and fails its `shards` check.
            guard !reports.isEmpty else { throw ValidationError("give the shard reports to merge") }
        }

        func run() throws {
            let status: ExitStatus
            do throws(LoadgenFailure) {
                var loaded: [(name: String, report: Report)] = []
                for path in reports { loaded.append((path, try ReportFile.load(path))) }
                let merged: Report
                do { merged = try ReportMerge.merge(loaded) } catch { throw LoadgenFailure(.dataError, error.description) }
                let paths: [String]
                if output.hasSuffix(".json") {
                    do { try merged.jsonBytes().write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
                        throw LoadgenFailure(.cannotWriteReport, "cannot write \(output): \(error.localizedDescription)")
                    }
                    paths = [output]
                } else {
                    paths = try ReportWriter.write(merged, formats: format ?? Set(ReportFormat.allCases), to: output)
                }
                StandardStreams.writeOutput(ConsoleSummary.render(merged, reportPaths: paths) + "\n")
                status = merged.verdict == .pass ? .pass : .criteriaFailed
            } catch {
                Loadgen.log("error: \(error.message)")
                status = error.status
            }
            if status != .pass { throw status.exitCode }
        }
    }
}
