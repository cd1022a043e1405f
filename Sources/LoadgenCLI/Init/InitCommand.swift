import ArgumentParser
import Foundation
import LoadgenRuntime

extension Loadgen {
    /// `loadgen init [DIR]`: a starter scenario file (and with `--swift` a starter package).
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a starter scenario file with comments into DIR (default: here); --swift writes a starter Swift package instead.",
            discussion: "Then: loadgen validate DIR/scenario.yaml and loadgen run -f DIR/scenario.yaml. Existing files are never overwritten (exit 73).")

        @Argument(help: "Where to write (created if missing).")
        var directory: String = "."

        @Flag(help: "Write a Swift package of your own (Package.swift, Sources/MyBotLoad) on loadgen's command line.")
        var swift = false

        func run() throws {
            let dir = URL(fileURLWithPath: directory)
            var files: [(String, String)]
            if swift {
                let (dependency, note) = StarterFiles.sourceRoot.map {
                    (".package(name: \"loadgen\", path: \"\($0)\")", "`path:` is the loadgen checkout this was made from; elsewhere name loadgen's git URL.")
                } ?? (".package(url: \"https://github.com/<you>/loadgen\", branch: \"main\")", "Put loadgen's git URL here.")
                files = [("Package.swift", StarterFiles.manifest(dependency: dependency, note: note)),
                         ("Sources/MyBotLoad/MyBotLoad.swift", StarterFiles.swiftMain)]
            } else {
                files = [("scenario.yaml", StarterFiles.scenario)]
            }
            for (name, _) in files where FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path) {
                Loadgen.log("error: \(dir.appendingPathComponent(name).path) exists; loadgen init never overwrites a file")
                throw ExitStatus.cannotWriteReport.exitCode
            }
            for (name, text) in files {
                let url = dir.appendingPathComponent(name)
                do {
                    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try Data(text.utf8).write(to: url, options: .withoutOverwriting)
                } catch {
                    Loadgen.log("error: cannot write \(url.path): \(error.localizedDescription)")
                    throw ExitStatus.cannotWriteReport.exitCode
                }
                print("wrote \(url.path)")
            }
            let next = swift
                ? "next: cd \(dir.path) && swift run -c release MyBotLoad run --scenario groceries"
                : "next: loadgen validate \(dir.appendingPathComponent("scenario.yaml").path) && loadgen run -f \(dir.appendingPathComponent("scenario.yaml").path)"
            print(next)
        }
    }
}
