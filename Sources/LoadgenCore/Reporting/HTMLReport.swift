import Foundation

/// report.html: one self-contained page (no network, no libraries) that draws its charts from the
/// report JSON embedded in it. See `HTMLTemplate` for the page.
public enum HTMLReport {
    static let placeholder = "__LOADGEN_REPORT_JSON__"

    /// The page for `report`. The serialised histograms are left out (the page does not need them;
    /// report.json has them); every `<` in the JSON is escaped, so no string in the report can close
    /// the script element it sits in.
    public static func render(_ report: Report) throws -> String {
        var slim = report
        slim.metrics = nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(slim), as: UTF8.self)
            .replacingOccurrences(of: "<", with: "\\u003c")
        return HTMLTemplate.page.replacingOccurrences(of: placeholder, with: json)
    }
}
