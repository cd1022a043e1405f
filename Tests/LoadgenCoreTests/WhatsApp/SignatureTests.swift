import Foundation
import LoadgenCore
import Testing

@Suite struct SignatureTests {
    /// reference/whatsapp-cloud-api.md §2.1: the body and signature, byte for byte.
    static let vectorBody = #"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Jos\u00e9 M\u00fcller"},"wa_id":"16505551234"}],"messages":[{"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=","timestamp":"1749416383","type":"text","text":{"body":"Ol\u00e1! caf\u00e9? \ud83d\udc4d"}}]},"field":"messages"}]}]}"#
    static let vectorSignature = "sha256=ad0b2d621a01d4bdb3c1d5a068e2b18a8ed0e25495a49387b2e4f88864425a1d"

    @Test func rendersTheReferenceVectorByteForByte() {
        let message = InboundMessage(
            id: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=", timestamp: 1_749_416_383,
            content: .text("Olá! café? 👍"))
        let body = WebhookEnvelope.render(message, phone: "16505551234", profileName: "José Müller", bsuid: nil,
                                          business: .default)
        #expect(String(decoding: body, as: UTF8.self) == Self.vectorBody)
        #expect(WebhookSigner(appSecret: Secret("test_app_secret")).signature(for: body) == Self.vectorSignature)
    }

    @Test func validatesItsOwnSignatureAndRejectsOthers() {
        let signer = WebhookSigner(appSecret: Secret("test_app_secret"))
        let body = Array(Self.vectorBody.utf8)
        #expect(signer.isValid(signatureHeader: Self.vectorSignature, body: body))
        #expect(signer.isValid(signatureHeader: Self.vectorSignature.uppercased().replacingOccurrences(of: "SHA256=", with: "sha256="), body: body))
        #expect(!signer.isValid(signatureHeader: nil, body: body))
        #expect(!signer.isValid(signatureHeader: "sha1=" + Self.vectorSignature.dropFirst(7), body: body))
        #expect(!signer.isValid(signatureHeader: Self.vectorSignature, body: body + [0x20]))
        #expect(!WebhookSigner(appSecret: Secret("other")).isValid(signatureHeader: Self.vectorSignature, body: body))
    }

    /// The signer starts every body from the same keyed state: signing one body leaves nothing behind for
    /// the next, on any task.
    @Test func eachSignatureStartsFromTheKeyAlone() async {
        let signer = WebhookSigner(appSecret: Secret("test_app_secret"))
        let body = Array(Self.vectorBody.utf8)
        _ = signer.signature(for: Array("something else".utf8))
        #expect(signer.signature(for: body) == Self.vectorSignature)
        let all = await withTaskGroup(of: String.self) { group in
            for i in 0..<64 { group.addTask { signer.signature(for: i % 2 == 0 ? body : Array("x\(i)".utf8)) } }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(all.filter { $0 == Self.vectorSignature }.count == 32)
    }

    /// HMAC-SHA256 as RFC 4231 defines it (its test cases 1 and 2), and around the 64-byte block: a key
    /// of exactly one block, a longer key (hashed first), an empty key and body, a body past one block.
    @Test(arguments: [
        ("\u{0B}".repeated(20), "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        ("Jefe", "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ("s".repeated(64), "x".repeated(55), "da33431d5ea236c952e782a000d652d8adace7d7cfc9c59884bd96a1bf630b3a"),
        ("long-app-secret-".repeated(7), "y".repeated(1000), "24c273ccfe39031bb03296b3585ac7ad85c4eca0a49c6b8f74242267d96e7c7d"),
        ("", "", "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"),
    ])
    func signsAsHMACSHA256(key: String, body: String, mac: String) {
        #expect(WebhookSigner(appSecret: Secret(key)).signature(for: Array(body.utf8)) == "sha256=" + mac)
    }

    @Test func secretsNeverPrintThemselves() {
        let secret = Secret("hunter2")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
    }
}

extension String {
    fileprivate func repeated(_ n: Int) -> String { String(repeating: self, count: n) }
}
