import ArgumentParser
import LoadgenCore
import LoadgenRuntime

/// What the stand-in Graph API holds the bot's sends to, as Meta does (`loadgen run`): its sending
/// limits and the business's templates. Both off by default.
struct GraphOptions: ParsableArguments {
    @Option(name: .customLong("graph-limits"), help: ArgumentHelp(
        "Hold the bot to Meta's sending limits: meta (all three), or a list of pair[=N/TIME] (a burst of N messages to one user, one more every TIME; 131056), throughput[=N] (messages per second; 130429), window[=TIME] (free-form messages only within TIME of the user's last message; 131047), e.g. meta,pair=5/1m. Default: off.",
        valueName: "limits"), transform: Self.limits)
    var graphLimits: GraphLimits?

    @Option(name: .customLong("graph-templates"), help: ArgumentHelp(
        "The business's message templates, as Meta's message_templates list (JSON): template sends with another name or language get 132001, another number of body parameters 132000. Default: any template is accepted.",
        valueName: "file"), transform: Arguments.path)
    var graphTemplates: String?

    static func limits(_ text: String) throws -> GraphLimits {
        do { return try GraphLimits.parse(text) } catch { throw ValidationError(error.message) }
    }

    /// Puts the limits into `config`; the templates file is read by `load(into:)`.
    func apply(to config: inout RunConfig) {
        config.graph.limits = graphLimits
    }

    /// Reads the templates file, if one was given (missing: 66; not a template list: 65).
    func load(into config: inout RunConfig) throws(LoadgenFailure) {
        if let graphTemplates { config.graph.templates = try BusinessTemplatesLoader.load(graphTemplates) }
    }
}
