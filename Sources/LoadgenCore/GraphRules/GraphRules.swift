/// What the stand-in Graph API holds a bot's sends to beyond their shape, as Meta does: its sending
/// limits (`--graph-limits`) and the business's templates (`--graph-templates`). Both off by default.
public struct GraphRules: Sendable, Hashable {
    /// nil (or empty): no limit.
    public var limits: GraphLimits?
    /// nil: any template send is accepted.
    public var templates: BusinessTemplates?

    public init(limits: GraphLimits? = nil, templates: BusinessTemplates? = nil) {
        self.limits = limits
        self.templates = templates
    }

    /// The limits, when at least one is on.
    public var activeLimits: GraphLimits? { limits.flatMap { $0.isEmpty ? nil : $0 } }
}
