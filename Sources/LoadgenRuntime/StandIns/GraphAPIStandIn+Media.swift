import LoadgenCore
import LoadgenHTTP
import NIOHTTP1

/// The stand-in's media endpoints, answering like Meta's: `GET /{media-id}` (url, mime type, sha256,
/// size), the download of that url with the Bearer check, `POST /{phone-number-id}/media` (an upload:
/// a new id) and `DELETE /{media-id}`. The media a simulated user sends are `MediaBytes`: their bytes
/// follow from the id, so a bot that fetches an inbound photo gets exactly what its `sha256` promised.
extension GraphAPIStandIn {
    /// Meta's download path (`https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=…`), served here.
    static let downloadPath = "/whatsapp_business/attachments/"

    /// The answer to a media request; nil when `request` is not one (a send goes on to `/messages`).
    func media(_ request: ServerRequest) -> ServerResponse? {
        let parts = request.path.split(separator: "/")
        if request.path == Self.downloadPath || request.path == Self.downloadPath.dropLast() {
            guard request.method == .GET else { return nil }
            return unauthorized(request) ?? download(request.query["mid"] ?? "")
        }
        let path = parts.first.map(Self.isVersion) == true ? parts.dropFirst() : parts[...]
        if path.count == 2, path.last == "media", request.method == .POST {
            return unauthorized(request) ?? upload(request)
        }
        guard path.count == 1, let id = path.first, id.allSatisfy(\.isNumber), id != Substring(phoneNumberID) else { return nil }
        switch request.method {
        case .GET: return unauthorized(request) ?? describe(String(id), origin: Self.origin(of: request))
        case .DELETE: return unauthorized(request) ?? (MediaBytes.mimeType(ofID: String(id)) == nil ? Self.unknown(String(id)) : Self.success)
        default: return nil
        }
    }

    /// Meta's 401/190 when the token is missing or wrong; nil when it is good. Sends and media alike.
    func unauthorized(_ request: ServerRequest) -> ServerResponse? {
        guard let token = Self.bearer(request), !token.isEmpty, accessToken.map({ $0.value == token }) ?? true else {
            return Self.error(.unauthorized, code: 190, message: "Invalid OAuth access token - Cannot parse access token",
                              details: "Send Authorization: Bearer <access token>.")
        }
        return nil
    }

    /// Where the download url points: back here, as the request reached it — `https` when it came through
    /// the graph proxy's TLS (`X-Forwarded-Proto`), so the bot fetches the download through the proxy too.
    static func origin(of request: ServerRequest) -> String {
        let scheme = request.headers.first(name: "X-Forwarded-Proto") == "https" ? "https" : "http"
        return "\(scheme)://\(request.headers.first(name: "Host") ?? "127.0.0.1")"
    }

    private func describe(_ id: String, origin: String) -> ServerResponse {
        guard let mimeType = MediaBytes.mimeType(ofID: id) else { return Self.unknown(id) }
        let bytes = MediaBytes.content(ofID: id)
        var w = JSONWriter(capacity: 256)
        w.object { w in
            w.field("messaging_product", string: "whatsapp")
            w.field("url", string: "\(origin)\(Self.downloadPath)?mid=\(id)")
            w.field("mime_type", string: mimeType)
            w.field("sha256", string: MediaBytes.sha256(bytes))
            w.field("file_size") { $0.rawNumber(String(bytes.count)) }
            w.field("id", string: id)
        }
        return .json(.ok, w.bytes)
    }

    private func download(_ id: String) -> ServerResponse {
        guard let mimeType = MediaBytes.mimeType(ofID: id) else { return Self.unknown(id) }
        return ServerResponse(status: .ok, headers: ["Content-Type": mimeType], body: MediaBytes.content(ofID: id))
    }

    /// An upload gets a new id of its own (from its bytes), as Meta's `{"id": …}`.
    private func upload(_ request: ServerRequest) -> ServerResponse {
        guard !request.body.isEmpty else {
            return Self.error(.badRequest, code: 100, message: "Invalid parameter", details: "The parameter file is required.")
        }
        let seed = SeededRandom.digest(request.body)
        return .json(.ok, Array(#"{"id":""#.utf8) + Array(MediaBytes.id(seed: seed, mimeType: "image/jpeg").utf8) + Array(#""}"#.utf8))
    }

    private static func unknown(_ id: String) -> ServerResponse {
        error(.badRequest, code: 100, subcode: 33,
              message: "Unsupported get request. Object with ID '\(id)' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
              details: "Unknown media id \(id).")
    }

    private static var success: ServerResponse { .json(.ok, Array(#"{"success":true}"#.utf8)) }
}
