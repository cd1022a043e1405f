/// PLACEHOLDER (replaced by the real page).
enum HTMLTemplate {
    static let page = #"""
<!doctype html><html><body><script id="report-data" type="application/json">__LOADGEN_REPORT_JSON__</script></body></html>
"""#
}
