import Foundation
import Testing

/// The architecture is visible in the targets: each may import only the layers below it (README
/// "Layout"). This reads every source file's imports and holds them to that table.
@Suite struct LayeringTests {
    static let allowed: [String: Set<String>] = [
        "Wire": ["Foundation", "Crypto"],
        "LoadgenCore": ["Wire", "Histogram", "Foundation", "Synchronization"],
        "LoadgenHTTP": ["Wire", "NIOCore", "NIOPosix", "NIOHTTP1", "NIOWebSocket", "NIOSSL", "X509", "Crypto", "SwiftASN1", "FoundationEssentials", "Synchronization"],
        "ReferenceBot": ["Wire", "LoadgenHTTP", "NIOCore", "NIOPosix", "NIOHTTP1", "Foundation", "Synchronization"],
        "LoadgenRuntime": ["CLoopHook", "LoadgenCore", "LoadgenHTTP", "ReferenceBot", "ServiceLifecycle", "Logging", "NIOCore", "NIOPosix", "NIOHTTP1",
                           "Foundation", "Dispatch", "Glibc", "Darwin", "Synchronization"],
        "LoadgenCLI": ["LoadgenRuntime", "LoadgenCore", "LoadgenFiles", "LoadgenScenarios", "ArgumentParser", "NIOCore", "NIOPosix", "Foundation",
                       "Synchronization"],
        "LoadgenKit": ["LoadgenCLI", "LoadgenCore", "LoadgenFiles", "LoadgenRuntime", "LoadgenScenarios"],
        "LoadgenFiles": ["LoadgenCore", "Yams", "Foundation"],
        "Loadgen": ["LoadgenCLI"],
        "LoadgenTesting": ["LoadgenCore", "LoadgenHTTP", "LoadgenRuntime", "NIOCore", "NIOHTTP1", "Foundation", "Synchronization"],
    ]

    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources")

    @Test(arguments: allowed.keys.sorted())
    func importsOnlyTheLayersBelow(target: String) throws {
        let dir = Self.sources.appendingPathComponent(target)
        let files = try #require(FileManager.default.enumerator(atPath: dir.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        #expect(!files.isEmpty)
        var imported: Set<String> = []
        for file in files {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") where line.first == "i" || line.first == "@" {  // not an indented line in a string
                let words = line.split(separator: " ")
                guard let i = words.firstIndex(of: "import"), words[..<i].allSatisfy({ $0.hasPrefix("@") }), i + 1 < words.count else { continue }
                imported.insert(String(words[i + 1]))
            }
        }
        let forbidden = imported.subtracting(Self.allowed[target] ?? [])
        #expect(forbidden.isEmpty, "\(target) imports \(forbidden.sorted())")
    }
}
