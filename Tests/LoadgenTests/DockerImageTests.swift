import Foundation
import Testing

/// The Dockerfile and scripts/check-image-build.sh, which carries out its build on a machine without
/// Docker (the build itself costs a release build: `DockerImageBuildTests` runs it; README
/// "Beyond one machine"). Here, cheaply: the script's plan is the Dockerfile's instructions, one for one,
/// and the image is what the manifests and loadgen expect.
@Suite(.timeLimit(.minutes(1)))
struct DockerImageTests {
    static let root = PythonEnvironment.root

    /// The Dockerfile's instructions, comments dropped and continuation lines joined, split into stages.
    static func stages() throws -> [[(keyword: String, rest: String)]] {
        let text = try String(contentsOf: root.appendingPathComponent("Dockerfile"), encoding: .utf8)
        var lines: [String] = []
        var pending = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if pending.isEmpty, line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasSuffix("\\") { pending += line.dropLast().trimmingCharacters(in: .whitespaces) + " " } else {
                lines.append(pending + line)
                pending = ""
            }
        }
        var stages: [[(keyword: String, rest: String)]] = []
        for line in lines {
            let keyword = String(line.prefix { $0 != " " }), rest = String(line.drop { $0 != " " }.dropFirst())
            if keyword == "FROM" { stages.append([]) }
            stages[stages.count - 1].append((keyword, rest))
        }
        return stages
    }

    /// The script runs every instruction of the build stage, in order, and checks what the runtime stage
    /// takes from it and from the repository: its plan is the Dockerfile's, step for step.
    @Test func theScriptCarriesOutTheDockerfilesBuildStage() throws {
        let stages = try Self.stages()
        #expect(stages.count == 2)
        let build = stages[0], runtime = stages[1]
        var expected = ["builder " + build[0].rest.replacingOccurrences(of: " AS build", with: "")]
        for (keyword, rest) in build.dropFirst() {
            switch keyword {
            case "WORKDIR": expected.append("workdir \(rest)")
            case "COPY":
                let parts = rest.split(separator: " ").map(String.init)
                expected += parts.dropLast().map { "copy \($0) \(parts.last!)" }
            case "RUN": expected.append("run \(rest)")
            default: Issue.record("the script cannot carry out \(keyword) in the build stage")
            }
        }
        for (keyword, rest) in runtime where keyword == "COPY" {
            let parts = rest.split(separator: " ").map(String.init)
            expected.append(parts[0] == "--from=build" ? "ship \(parts[1]) \(parts[2])" : "context \(parts[0]) \(parts[1])")
        }
        let plan = try CommandLineTests.run([Self.root.appendingPathComponent("scripts/check-image-build.sh").path, "--plan"],
                                            executable: URL(fileURLWithPath: "/bin/bash"))
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.split(separator: "\n").map(String.init) == expected)
        // The build is the static release build of the loadgen product, and the shipped binary is what it made.
        let runs = build.filter { $0.keyword == "RUN" }.map(\.rest)
        #expect(runs.contains("swift build -c release --product loadgen --static-swift-stdlib"))
        #expect(runs.contains(#"cp "$(swift build -c release --show-bin-path)/loadgen" ./loadgen && strip --strip-debug ./loadgen"#))
        #expect(expected.contains("ship /src/loadgen /usr/local/bin/loadgen"))
    }

    /// The script's checks bite: a debug build, linked to the Swift runtime's shared libraries, fails them.
    @Test func theScriptFailsABinaryThatNeedsTheSwiftRuntime() throws {
        let o = try CommandLineTests.run([Self.root.appendingPathComponent("scripts/check-image-build.sh").path, "--check", CommandLineTests.binary.path],
                                         executable: URL(fileURLWithPath: "/bin/bash"))
        #expect(o.status == 1, "\(o.stdout)\(o.stderr)")
        #expect(o.stderr.contains("needs a Swift runtime library") && o.stderr.contains("libswiftCore.so"), "\(o.stderr)")
    }

    /// The build stage copies every folder that holds a target (SwiftPM wants them all), the builder is
    /// the toolchain the tests run on, on the runtime's Debian, and .dockerignore keeps out no copied folder.
    @Test func theBuildStageHasWhatThePackageNeeds() throws {
        let build = try Self.stages()[0]
        let copied = Set(build.filter { $0.keyword == "COPY" }.flatMap { $0.rest.split(separator: " ").dropLast().map(String.init) })
        let top = try FileManager.default.contentsOfDirectory(atPath: Self.root.path).filter { !$0.hasPrefix(".") && $0 != "examples" }
        let withSwift = top.filter { name in
            let e = FileManager.default.enumerator(atPath: Self.root.appendingPathComponent(name).path)
            return (e?.allObjects as? [String] ?? []).contains { $0.hasSuffix(".swift") } || name.hasSuffix(".swift")
        }
        #expect(Set(withSwift) == ["Package.swift", "Sources", "Tests", "Plugins", "scenarios"])
        #expect(Set(withSwift).isSubset(of: copied), "copied: \(copied)")

        let builder = build[0].rest
        #expect(builder.hasPrefix("swift:") && builder.hasSuffix("-bookworm AS build"), "\(builder)")
        let version = String(builder.dropFirst("swift:".count).prefix { $0 != "-" })
        let swift = try CommandLineTests.run(["swift", "--version"], executable: URL(fileURLWithPath: "/usr/bin/env"))
        #expect((swift.stdout + swift.stderr).contains("Swift version \(version) "), "the builder image is Swift \(version)")

        let ignored = try String(contentsOf: Self.root.appendingPathComponent(".dockerignore"), encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
        #expect(ignored.contains(".build") && ignored.contains(".git"))
        #expect(Set(ignored).isDisjoint(with: copied.union(["payloads"])))
    }

    /// The runtime: Debian slim like the builder, a non-root user that the manifests run as, the binary on
    /// PATH as the entrypoint, and payloads/ where `--payloads` looks by default (the working directory's).
    @Test func theRuntimeStageIsWhatTheManifestsAndLoadgenExpect() throws {
        let runtime = try Self.stages()[1]
        func value(_ keyword: String) -> String? { runtime.last { $0.keyword == keyword }?.rest }
        #expect(value("FROM") == "debian:bookworm-slim")
        #expect(value("USER") == "10001:10001")
        #expect(value("ENTRYPOINT") == #"["loadgen"]"#)
        #expect(value("WORKDIR") == "/app")
        #expect(runtime.contains { $0.keyword == "COPY" && $0.rest == "payloads ./payloads" })
        let help = try CommandLineTests.run(["help", "run"])
        let words = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("payload templates. Default: payloads."), "loadgen looks for payloads/ in the working directory")
        for file in ["shards-job.yaml", "hub-job.yaml", "merge-job.yaml"] {
            let text = try String(contentsOf: DeployManifests.directory.appendingPathComponent(file), encoding: .utf8)
            #expect(text.contains("runAsUser: 10001\n") && text.contains("runAsGroup: 10001\n"), "\(file) runs as the image's user")
        }
    }
}

/// The Dockerfile's build itself, carried out without Docker by `scripts/check-image-build.sh`: a static
/// release build of the binary and the checks of what the image ships (no Swift runtime needed, runs from
/// a folder holding only payloads/). It costs a release build the first time (about 10–14 minutes on the
/// 2-core machine), seconds after that; CI (a fresh clone) pays it once.
@Suite(.timeLimit(.minutes(45)))
struct DockerImageBuildTests {
    @Test func theDockerfilesBuildMakesABinaryThatNeedsNoSwiftRuntimeAndRuns() throws {
        let script = DockerImageTests.root.appendingPathComponent("scripts/check-image-build.sh").path
        // The build's output goes to a file: a pipe read one stream at a time could fill the other and stall.
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("check-image-build-\(getpid()).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let result = try CommandLineTests.run(["-c", #""$0" > "$1" 2>&1"#, script, log.path], executable: URL(fileURLWithPath: "/bin/bash"))
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(result.status == 0, "\(output.suffix(4_000))")
        #expect(output.contains("check-image-build: ok — loadgen "), "\(output.suffix(2_000))")
    }
}
