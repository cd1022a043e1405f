/// Criteria as the user wrote them (`staging,reply.p99<800ms`) and as parsed into sets: the text is
/// kept so a merged report can be judged again by the same words.
public struct CriteriaSpec: Sendable, Hashable, CustomStringConvertible {
    /// As written.
    public let text: String
    /// Presets and custom thresholds, in order.
    public let sets: [CriteriaSet]

    /// Parses `text` (see `CriteriaSet.parse`).
    public init(_ text: String) throws(CriteriaError) {
        self.text = text
        sets = try CriteriaSet.parse(text)
    }

    public var description: String { text }
}
