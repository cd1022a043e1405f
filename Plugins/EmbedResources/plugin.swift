import Foundation
import PackagePlugin

/// Embeds a target's `Resources/` files into the binary as Swift string constants (`EmbeddedResources`),
/// so they stay real files — linted, diffed, read — and the built binary needs nothing next to it.
@main
struct EmbedResources: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let directory = target.directoryURL.appending(path: "Reporting/Resources")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasPrefix(".") }.sorted()
        let inputs = names.map { directory.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedResources.swift")
        return [.buildCommand(displayName: "Embedding \(names.joined(separator: ", "))",
                              executable: try context.tool(named: "EmbedResourcesTool").url,
                              arguments: [output.path] + inputs.map(\.path), inputFiles: inputs, outputFiles: [output])]
    }
}
