import ArgumentParser
import Foundation
@testable import LoadgenCLI
import LoadgenCore
import LoadgenRuntime
import Testing

/// `--graph-limits` and `--graph-templates` as parsed into the plan, and each mistake as the built
/// binary answers it: one `loadgen: error:` line, word for word, and its exit code.
@Suite(.timeLimit(.minutes(1)))
struct GraphLimitsOptionTests {
    typealias CLI = CommandLineTests

    static func file(_ name: String, _ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-\(getpid())-\(name)")
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func offByDefaultAndParsedIntoThePlan() throws {
        #expect(try Loadgen.Run.parse([]).plan(environment: [:]).0.graph == GraphRules())
        let meta = try Loadgen.Run.parse(["--graph-limits", "meta"]).plan(environment: [:]).0
        #expect(meta.graph.limits == .meta && meta.graph.templates == nil)
        let tuned = try Loadgen.Run.parse(["--graph-limits", "meta,pair=4/1m"]).plan(environment: [:]).0
        #expect(tuned.graph.limits?.pair == GraphLimits.Pair(capacity: 4, interval: .seconds(60)))
        let list = try Self.file("templates.json", #"{"data":[{"name":"order_update","language":"en_US","category":"UTILITY","components":[{"type":"BODY","text":"Hi {{1}}"}]}]}"#)
        defer { try? FileManager.default.removeItem(at: list) }
        let templated = try Loadgen.Run.parse(["--graph-templates", list.path]).plan(environment: [:]).0
        #expect(templated.graph.templates == BusinessTemplates([.init(name: "order_update", language: "en_US", category: "UTILITY", bodyParameters: 1)]))
        #expect(templated.graph.limits == nil)
    }

    @Test(arguments: [
        (["--graph-limits", "fast"], "'--graph-limits <limits>': --graph-limits: unknown limit 'fast'; write meta, or a list of pair[=N/TIME], throughput[=N] and window[=TIME], e.g. meta or pair=45/6s,throughput=80,window=24h"),
        (["--graph-limits", "pair=45"], "'--graph-limits <limits>': --graph-limits: pair=45 is not a bucket; write pair=N/TIME, a burst of N messages to one user and one more every TIME, e.g. pair=45/6s"),
        (["--graph-limits", "meta,throughput=0"], "'--graph-limits <limits>': --graph-limits: throughput=0 is not a rate; write throughput=N, messages per second from 1 to 100000, e.g. throughput=80"),
        (["--graph-limits", "window=soon"], "'--graph-limits <limits>': --graph-limits: window=soon is not a time; write window=TIME, e.g. window=24h"),
    ])
    func aLimitThatDoesNotParseExits64(arguments: [String], message: String) throws {
        let o = try CLI.run(arguments)
        #expect(o.status == 64, "\(o.stderr)")
        CLI.expectOneClearLine(o, containing: message)
    }

    @Test func aMissingTemplatesFileExits66() throws {
        let o = try CLI.run(["--graph-templates", "/nonexistent/templates.json"])
        #expect(o.status == 66, "\(o.stderr)")
        CLI.expectOneClearLine(o, containing: "loadgen: error: --graph-templates: no such file: /nonexistent/templates.json")
    }

    @Test(arguments: [
        ("not-json.json", "{\"data\": [", "not JSON: unexpected end at byte 10"),
        ("no-list.json", "{\"templates\": []}", "no template list; write Meta's message_templates list, {\"data\": [{\"name\": …, \"language\": …, \"components\": […]}]}"),
        ("no-language.json", "[{\"name\": \"hello_world\"}]", "template 1 needs a name and a language; write Meta's message_templates list, {\"data\": [{\"name\": …, \"language\": …, \"components\": […]}]}"),
    ])
    func aTemplatesFileThatIsNotATemplateListExits65(name: String, text: String, why: String) throws {
        let file = try Self.file(name, text)
        defer { try? FileManager.default.removeItem(at: file) }
        let o = try CLI.run(["--graph-templates", file.path])
        #expect(o.status == 65, "\(o.stderr)")
        CLI.expectOneClearLine(o, containing: "loadgen: error: --graph-templates \(file.path): \(why)")
    }
}
