import ArgumentParser
import Foundation
@testable import LoadgenCLI
import Testing

/// The command lines in deploy/kubernetes are ones loadgen accepts: each container's loadgen arguments,
/// with the run's ConfigMap values put in for `$(VAR)` (and a shard's index), parsed and validated by the
/// real command line — the hub's and the shards' alike, so a flag one of them refuses fails here, not on a
/// cluster.
@Suite(.timeLimit(.minutes(2)))
struct ManifestCommandLineTests {
    typealias M = DeployManifests

    /// `args` with every `$(NAME)` replaced from `values`, and the scenario's mount path replaced by `scenario`.
    static func resolved(_ args: [String], _ values: [String: String], scenario: URL) -> [String] {
        args.map { arg in
            var out = arg
            for (name, value) in values { out = out.replacingOccurrences(of: "$(\(name))", with: value) }
            return out == "/scenario/scenario.yaml" ? scenario.path : out
        }
    }

    @Test func theHubsAndTheShardsCommandLinesParse() throws {
        let d = try M.documents(try M.files())
        var values = try #require(try M.object("ConfigMap", "loadgen-run", in: d)["data"] as? [String: String])
        values["JOB_COMPLETION_INDEX"] = "0"
        let scenarioData = try #require(try M.object("ConfigMap", "loadgen-scenario", in: d)["data"] as? [String: String])
        let scenario = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-scenario-\(getpid()).yaml")
        try #require(scenarioData["scenario.yaml"]).write(to: scenario, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: scenario) }

        let hub = try M.object("Job", "loadgen-hub", in: d), shards = try M.object("Job", "loadgen-shards", in: d)
        for (name, workload, subcommand) in [("the hub's", hub, "hub"), ("a shard's", shards, "run")] {
            let args = try #require(M.containers(M.podSpec(workload)).first?["args"] as? [String], "\(name) container has args")
            #expect(args.first == subcommand, "\(name) container runs loadgen \(subcommand)")
            let argv = Self.resolved(args, values, scenario: scenario)
            #expect(!argv.contains { $0.contains("$(") }, "every $(VAR) of \(name) command line is defined: \(argv)")
            do { _ = try Loadgen.parseAsRoot(argv) } catch {
                Issue.record("loadgen refuses \(name) command line \(argv): \(Loadgen.message(for: error))")
            }
        }
    }
}
