import ArgumentParser
import Foundation
@testable import LoadgenCLI
import LoadgenCore
import LoadgenFiles
import LoadgenHTTP
import LoadgenRuntime
import LoadgenScenarios
import ReferenceBot
import Testing

/// Scenario files: written as the README shows, run against the embedded bot and against `loadgen
/// serve`'s bot on its own port; every mistake is FILE:LINE:COLUMN and a sentence, word for word.
@Suite(.timeLimit(.minutes(1)))
struct ScenarioFileTests {
    static let buyers = """
    name: file-buyers
    summary: Buyers asking for vegetables, from a file.
    load: { users: 3, duration: 30s }
    personas:
      - name: buyer
        steps:
          - send: [I need vegetables near me, I need tomatoes]
          - expect: { list: vendors }
          - choose: { row: 0 }
          - expect: { buttons: [pay_wallet] }
    """

    static func write(_ text: String, _ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(getpid()).yaml")
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func eachMistakeIsOneLineWithItsPlace() {
        let text = """
        name: broken
        lod: { users: 3 }
        personas:
          - name: buyer
            weight: zero
            steps:
              - send: Hello
                expect: any
              - expect: { containz: vendors }
              - think: soon
              - choose: { row: -1 }
              - within: 2s
          - steps: []
        """
        #expect(throws: ScenarioFile.Problems(lines: [
            "f.yaml:2:1: unknown key 'lod' in the scenario; expected one of: name, summary, load, criteria, chaos, expectations, users, personas",
            "f.yaml:5:13: a persona's weight must be a whole number of at least 1 (got 'zero')",
            "f.yaml:7:9: a step is one of: send, burst, button, row, location, image, audio, document, sticker, video, contact, order, changedNumber, flowReply, adClick, reaction, unsupported, revoke, edit, template, expect, think, choose, branch, repeat (this one has send and expect)",
            "f.yaml:9:19: unknown key 'containz' in a matcher; expected one of: contains, regex, buttons, list, oneOf, not",
            "f.yaml:10:16: think must be a time or a range such as 2s or 1s-3s (got 'soon')",
            "f.yaml:11:24: choose.row must be a whole number of at least 0 (got '-1')",
            "f.yaml:12:9: within goes with expect, in the same step (- expect: any, then within: 2s under it)",
            "f.yaml:13:5: a persona needs a name",
        ])) { try ScenarioFile.load(text, path: "f.yaml") }
        #expect(throws: ScenarioFile.Problems(lines: ["f.yaml:3:1: not YAML: did not find expected node content"])) {
            try ScenarioFile.load("name: x\npersonas: [\n", path: "f.yaml")
        }
        #expect(throws: ScenarioFile.Problems(lines: ["f.yaml: scenario 'x', persona 'p': the journey is empty; add at least one Send step"])) {
            try ScenarioFile.load("name: x\npersonas:\n  - name: p\n    steps: []\n", path: "f.yaml")
        }
    }

    /// `revoke:` deletes and `edit:` changes the user's previous message; their mistakes, word for word.
    @Test func revokeAndEditStepsAndTheirMistakes() throws {
        let good = """
        name: second-thoughts
        personas:
          - name: p
            steps:
              - send: I need vegetables
              - revoke:
              - edit: I need a job
              - image: { caption: carte jaune }
              - edit: { caption: my new carte jaune }
              - revoke: null
        """
        #expect(try ScenarioFile.load(good, path: "g.yaml").personas.first?.journey == [
            Send.text("I need vegetables"), Send.revoke(), Send.edit("I need a job"), Send.image(caption: "carte jaune"),
            Send.edit(caption: "my new carte jaune"), Send.revoke(),
        ])
        let bad = """
        name: b
        personas:
          - name: p
            steps:
              - revoke: yes
              - edit:
              - edit: [a, b]
              - edit: { text: x }
              - edit: { caption: [x] }
        """
        let usage = "edit takes the new text (edit: 2 kg, not 3) or a photo's new caption (edit: {caption: my new carte jaune})"
        #expect(throws: ScenarioFile.Problems(lines: [
            "b.yaml:5:17: revoke takes no value: it deletes the user's previous message (revoke: null)",
            "b.yaml:6:14: \(usage)",
            "b.yaml:7:15: \(usage)",
            "b.yaml:8:17: unknown key 'text' in edit; expected one of: caption",
            "b.yaml:9:26: edit.caption must be text",
        ])) { try ScenarioFile.load(bad, path: "b.yaml") }
    }

    @Test func aFileRunsAgainstTheEmbeddedBotAndValidates() throws {
        let file = try Self.write(Self.buyers, "buyers")
        defer { try? FileManager.default.removeItem(at: file) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("file-run-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try CommandLineTests.run(["run", "-f", file.path, "--journeys", "2", "--think-time", "0", "--report-dir", dir.path, "--quiet"])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("scenario file-buyers, 3 users"), "\(run.stdout)")
        #expect(run.stdout.contains("turns 12 "), "\(run.stdout)")
        let valid = try CommandLineTests.run(["validate", file.path])
        #expect(valid.status == 0 && valid.stdout.contains("✅ scenario 'file-buyers' is valid: 1 personas, 4 steps"), "\(valid.stdout)")

        let bad = try Self.write("name: b\npersonas:\n  - name: p\n    steps:\n      - sendd: hi\n", "bad")
        defer { try? FileManager.default.removeItem(at: bad) }
        for args in [["validate", bad.path], ["run", "-f", bad.path]] {
            let refused = try CommandLineTests.run(args)
            #expect(refused.status == 65)
            CommandLineTests.expectOneClearLine(refused, containing: "\(bad.path):5:9: unknown key 'sendd' in a step")
        }
        let missing = try CommandLineTests.run(["run", "-f", "/nonexistent/s.yaml"])
        #expect(missing.status == 66)
        CommandLineTests.expectOneClearLine(missing, containing: "no such scenario file: /nonexistent/s.yaml")
    }

    /// The same file against `loadgen serve` (its driver, in process): a bot on its own port, replying to
    /// the run's --graph-listen, its upstreams out of loadgen's sight.
    @Test func aFileRunsAgainstLoadgenServe() async throws {
        let file = try Self.write(Self.buyers, "external")
        defer { try? FileManager.default.removeItem(at: file) }
        let botPort = try await ProxiedChaosTests.freePort(), graphPort = try await ProxiedChaosTests.freePort()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("file-external-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let secrets = ["WHATSAPP_APP_SECRET": "file-secret", "WHATSAPP_VERIFY_TOKEN": "file-token", "WHATSAPP_ACCESS_TOKEN": "file-access"]
        let options = ServeDriver.Options(
            listen: HostPort(host: "127.0.0.1", port: botPort), graphListen: HostPort(host: "127.0.0.1", port: 0),
            graphURL: try TargetURL("http://127.0.0.1:\(graphPort)/v20.0"), phoneNumberID: BusinessIdentity.default.phoneNumberID,
            rateLimit: 30, secretsFile: dir.appendingPathComponent("serve-secrets.env").path, verifySignatures: true, defect: nil, llmURL: nil)
        let command = try Loadgen.Run.parse([
            "-f", file.path, "--target", "http://127.0.0.1:\(botPort)/webhook", "--graph-listen", "127.0.0.1:\(graphPort)",
            "--journeys", "2", "--think-time", "0", "--report-dir", dir.path, "--quiet",
        ])
        let stop = StopSignal()
        let (ready, served) = AsyncStream.makeStream(of: Void.self)
        let outcome = try await withThrowingTaskGroup(of: RunOutcome?.self) { group in
            group.addTask {
                try await ServeDriver.run(options, environment: SecretSources(environment: secrets), stop: stop) { line in
                    if line.hasPrefix("press Ctrl-C") { served.yield() }
                }
                return nil
            }
            for await _ in ready { break }  // the bot is bound
            defer { stop.trigger() }
            return try await command.outcome(environment: secrets)
        }
        #expect(outcome.report.run.scenario == "file-buyers")
        #expect(outcome.report.checks.first { $0.name == "handshake" }?.status == .pass)
        #expect(outcome.report.totals.turns == 12 && outcome.report.totals.errors == 0, "\(outcome.report.errorsByClass)")
        #expect(outcome.status == .pass, "\(outcome.report.criteria.filter { !$0.passed })")
    }
}

/// Every built-in scenario round-trips: exported as a file and read back, it is the same value.
@Suite struct ScenarioExportTests {
    @Test(arguments: BuiltInScenarios.all.map(\.name))
    func aBuiltInScenarioRoundTrips(name: String) throws {
        let scenario = try #require(BuiltInScenarios.all.first { $0.name == name })
        let yaml = try ScenarioFile.export(scenario)
        let back = try ScenarioFile.load(yaml, path: "\(name).yaml")
        #expect(back == scenario, "\(yaml)")
    }

    @Test func expectationsAndEveryStepKindRoundTrip() throws {
        let scenario = Scenario(name: "all-kinds", summary: "every step", personas: [
            Persona(name: "p", weight: 2, identity: .usernameOnly, journey: [
                Send.text("Hi {{name}}"), Send.burst(["a", "b"]), Send.button(id: "b1", title: "Yes"), Send.listRow(id: "r1", title: "Row"),
                Send.location(latitude: -1.95, longitude: 30.06, name: "Kimironko"), Send.image(caption: "carte jaune"), Send.image(),
                Send.audio(voice: false), Send.document("r.pdf", caption: "receipt"), Send.sticker(animated: true), Send.video(caption: "tyre"),
                Send.video(), Send.contact("Aline Uwase", phone: "+250788123456"), Send.changedNumber(), Send.flowReply(["date": "2026-12-03", "seats": "2"]),
                Send.adClick("Is the flat free?", headline: "Flats in Kigali"),
                Send.order([CartItem(productID: "tomatoes-1kg", quantity: 2, price: 1500, currency: "RWF")], text: "tonight"), Send.reaction("👍"),
                Send.reaction(nil), Send.unsupported("poll_creation"), Send.revoke(), Send.edit("2 kg, not 3"), Send.edit("null"),
                Send.edit(caption: "my new carte jaune"), Send.template("order", ["product": "tomatoes"]),
                Expect.reply(within: .milliseconds(1500), .oneOf([.contains("x"), .not(.regex("^a+$")), .buttons(["b"]), .list(containing: "")])),
                Think.between(.milliseconds(300), .seconds(2)), Choose.row(at: 1), Choose.button(titled: "Pay"), Choose.any(),
                .branch(if: .interactive, then: [Choose.button(at: 0)], else: []),
            ]),
        ], load: .stages([.init(.seconds(30), perSecond: 2.5)], maxInFlight: 40), criteria: ["staging"],
           chaos: try ChaosPlan.parse("invalid-input=0.5@10s-20s,network-issues:burst40=20%"),
           expectations: Expectations(fallbackPhrases: ["sorry"], graceful: [.invalidInput: .contains("try asking")],
                                      smoke: .init(agentMessage: "hours?", agentAnswer: .contains("open"), menuMessage: "menu", menu: .interactive)))
        let yaml = try ScenarioFile.export(scenario)
        #expect(try ScenarioFile.load(yaml, path: "all.yaml") == scenario, "\(yaml)")
    }
}

/// The committed JSON Schema is the one `loadgen schema` prints, and a real JSON Schema validator
/// (Python's jsonschema, installed into .build when missing) agrees with the decoder: every built-in
/// scenario exported, the README's file and a JSON file pass; unknown keys and wrong types fail.
@Suite(.timeLimit(.minutes(3)))
struct ScenarioSchemaTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    @Test func theCommittedSchemaIsTheGeneratedOne() throws {
        let committed = try String(contentsOf: Self.repo.appendingPathComponent("schema/scenario.schema.json"), encoding: .utf8)
        #expect(committed == ScenarioFile.jsonSchema, "run: loadgen schema > schema/scenario.schema.json")
    }

    @Test func aJSONSchemaValidatorAgreesWithTheDecoder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var good: [URL] = []
        for scenario in BuiltInScenarios.all + [RevokeAndEditRunTests.secondThoughts] {  // the last: revoke and both edits
            let url = dir.appendingPathComponent("\(scenario.name).yaml")
            try Data(try ScenarioFile.export(scenario).utf8).write(to: url)
            good.append(url)
        }
        let json = dir.appendingPathComponent("json.json")
        try Data(#"{"name": "j", "load": {"users": 2, "duration": 10}, "personas": [{"name": "p", "steps": [{"send": "hi"}, {"expect": {"contains": "x"}, "within": "2s"}]}]}"#.utf8).write(to: json)
        _ = try ScenarioFile.load(String(contentsOf: json, encoding: .utf8), path: json.path)  // the decoder takes it too
        good.append(json)
        let bad = dir.appendingPathComponent("bad.yaml")
        try Data("name: b\npersonas:\n  - name: p\n    weight: many\n    steps:\n      - sendd: hi\n".utf8).write(to: bad)
        #expect(throws: ScenarioFile.Problems.self) { try ScenarioFile.load(String(contentsOf: bad, encoding: .utf8), path: bad.path) }

        let script = """
        import json, sys, yaml, jsonschema
        schema = json.load(open(sys.argv[1]))
        jsonschema.Draft202012Validator.check_schema(schema)
        v = jsonschema.Draft202012Validator(schema)
        for path in sys.argv[2:]:
            errors = sorted(e.message for e in v.iter_errors(yaml.safe_load(open(path))))
            print(path, "valid" if not errors else "invalid: " + "; ".join(errors))
        """
        let python = try Self.python()
        let out = try CommandLineTests.run(["python3", "-c", script, Self.repo.appendingPathComponent("schema/scenario.schema.json").path]
                                           + good.map(\.path) + [bad.path], environment: python.env, executable: python.exe)
        #expect(out.status == 0, "\(out.stderr)")
        for url in good { #expect(out.stdout.contains("\(url.path) valid"), "\(out.stdout)") }
        #expect(out.stdout.contains("\(bad.path) invalid: "), "\(out.stdout)")
        #expect(out.stdout.contains("'many' is not of type 'integer'") && out.stdout.contains("'sendd' was unexpected"), "\(out.stdout)")
    }

    /// python3 with jsonschema and PyYAML: the machine's, else installed from PyPI into .build/pytools.
    static func python() throws -> (exe: URL, env: [String: String]) {
        let exe = URL(fileURLWithPath: "/usr/bin/env")
        let tools = repo.appendingPathComponent(".build/pytools").path
        let env = ["PYTHONPATH": tools]
        if try CommandLineTests.run(["python3", "-c", "import jsonschema, yaml"], environment: env, executable: exe).status != 0 {
            let pip = try CommandLineTests.run(["python3", "-m", "pip", "install", "--quiet", "--target", tools, "jsonschema", "pyyaml"], executable: exe)
            #expect(pip.status == 0, "pip: \(pip.stderr)")
        }
        return (URL(fileURLWithPath: "/usr/bin/env"), env)
    }
}

/// `loadgen init`: the first run of one's own scenario is two commands.
@Suite(.timeLimit(.minutes(1)))
struct InitTests {
    @Test func theStarterFileValidatesAndRunsAsItIs() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("init-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let made = try CommandLineTests.run(["init", dir.path])
        #expect(made.status == 0 && made.stdout.contains("wrote \(dir.path)/scenario.yaml"), "\(made.stdout)\(made.stderr)")
        let file = dir.appendingPathComponent("scenario.yaml").path
        #expect(try CommandLineTests.run(["validate", file]).status == 0)
        let run = try CommandLineTests.run(["run", "-f", file, "--duration", "3", "--report-dir", dir.appendingPathComponent("r").path, "--quiet"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let again = try CommandLineTests.run(["init", dir.path])
        #expect(again.status == 73)
        CommandLineTests.expectOneClearLine(again, containing: "scenario.yaml exists; loadgen init never overwrites a file")
    }

    /// `--swift` writes examples/my-bot-load's files (which the suite builds), pointed at this checkout.
    @Test func theStarterPackageIsTheExamplePackage() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("init-swift-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try CommandLineTests.run(["init", "--swift", dir.path]).status == 0)
        let example = ExamplePackageTests.example
        let main = try String(contentsOf: dir.appendingPathComponent("Sources/MyBotLoad/MyBotLoad.swift"), encoding: .utf8)
        #expect(main == (try String(contentsOf: example.appendingPathComponent("Sources/MyBotLoad/MyBotLoad.swift"), encoding: .utf8)))
        let manifest = try String(contentsOf: dir.appendingPathComponent("Package.swift"), encoding: .utf8)
        #expect(manifest.contains(".package(name: \"loadgen\", path: \"\(ExamplePackageTests.repo.path)\")"), "\(manifest)")
        let exampleManifest = try String(contentsOf: example.appendingPathComponent("Package.swift"), encoding: .utf8)
        #expect(StarterFiles.manifest(dependency: ".package(name: \"loadgen\", path: \"../..\")",
                                      note: "`path: \"../..\"` is this repository; a package elsewhere names loadgen's git URL and a version.")
                == exampleManifest)
    }
}
