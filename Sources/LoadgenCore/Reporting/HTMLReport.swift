import Foundation

/// report.html: one self-contained page (no network, no libraries) that draws its charts as inline SVG
/// from the report JSON embedded in it. The page, its style and its script are the files in
/// `Reporting/Resources` (`report.html`, `report.css`, `report.js`), embedded at build time.
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
        return page.replacingOccurrences(of: placeholder, with: json)
    }

    /// The page with its style and script inlined, before the report goes in.
    static let page: String = {
        var html = EmbeddedResources.reportHTML
        if html.hasSuffix("\n") { html.removeLast() }
        return html.replacingOccurrences(of: "/*__LOADGEN_CSS__*/\n", with: EmbeddedResources.reportCSS)
            .replacingOccurrences(of: "/*__LOADGEN_JS__*/\n", with: EmbeddedResources.reportJS)
    }()
}
