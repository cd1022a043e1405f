/// Why a turn counted as an error. Raw values are the keys of `errorsByClass` in report.json.
public enum ErrorClass: String, Sendable, CaseIterable, Codable {
    /// The TCP (or TLS) connection to the target could not be opened.
    case connect
    /// The webhook POST was not answered within the ack timeout.
    case timeout
    /// The connection broke mid-request, or the response was not valid HTTP.
    case io
    /// Acked with a 2xx other than exactly 200: Meta would retry it.
    case http2xxNot200 = "http_2xx_not_200"
    /// Acked with a 3xx.
    case http3xx = "http_3xx"
    /// Acked with 429 Too Many Requests (the bot's rate limit).
    case http429 = "http_429"
    /// Acked with another 4xx (401 bad signature, 400 bad body, 413 too large, …).
    case http4xx = "http_4xx"
    /// Acked with a 5xx.
    case http5xx = "http_5xx"
    /// Acked, but no reply reached the stand-in Graph API within the reply timeout.
    case noReply = "no_reply"
    /// A reply arrived but failed the step's check.
    case badReply = "bad_reply"
    /// A `Choose` step found nothing to choose: the bot's last reply offered no such button or row.
    case noChoice = "no_choice"
    /// A `Send.template` step whose template could not be rendered (unknown name, missing value).
    case badTemplate = "bad_template"
    /// Acked, but the shard lost its hub (`--hub`) before a reply could reach it: the turn could not be
    /// judged, and the bot is not blamed with `no_reply`.
    case hubLost = "hub_lost"

    /// The class of an HTTP status that is not exactly 200; nil for 200.
    public static func forStatus(_ status: Int) -> ErrorClass? {
        switch status {
        case 200: nil
        case 200..<300: .http2xxNot200
        case 300..<400: .http3xx
        case 429: .http429
        case 400..<500: .http4xx
        default: .http5xx
        }
    }

    /// Position in fixed-size counter arrays.
    var slot: Int { Self.allCases.firstIndex(of: self)! }
}
