import Foundation
import LoadgenHTTP
import SwiftASN1
import Testing
import X509

/// loadgen's CA and the leaves it signs, checked with swift-certificates' own verifier (RFC 5280 and
/// the server-identity policy a TLS client applies) trusting the CA alone.
@Suite struct CertificateAuthorityTests {
    @Test func theCAIsACriticallyConstrainedSelfSignedCA() throws {
        let ca = try CertificateAuthority.generate()
        let extensions = ca.certificate.extensions
        #expect(try extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(extensions[oid: .X509ExtensionID.basicConstraints]?.critical == true)
        #expect(try extensions.keyUsage == KeyUsage(keyCertSign: true, cRLSign: true))
        #expect(try extensions.subjectKeyIdentifier != nil)
        #expect(ca.certificate.issuer == ca.certificate.subject)
        #expect(ca.certificate.signatureAlgorithm == .ecdsaWithSHA256)
        #expect(ca.keyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
    }

    @Test func aLeafNamesItsHostAloneAndChainsToTheCA() async throws {
        let ca = try CertificateAuthority.generate()
        let (leaf, _) = try ca.leaf(for: "graph.facebook.com")
        #expect(try leaf.extensions.subjectAlternativeNames == SubjectAlternativeNames([.dnsName("graph.facebook.com")]))
        #expect(try leaf.extensions.basicConstraints == .notCertificateAuthority)
        #expect(try leaf.extensions.extendedKeyUsage == ExtendedKeyUsage([.serverAuth]))
        #expect(try leaf.extensions.authorityKeyIdentifier?.keyIdentifier == ca.certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
        #expect(leaf.issuer == ca.certificate.subject)
        #expect(await Self.verify(leaf, trusting: ca, as: "graph.facebook.com"))
        #expect(await !Self.verify(leaf, trusting: ca, as: "lookaside.fbsbx.com"), "the leaf names one host")
        #expect(await !Self.verify(leaf, trusting: try CertificateAuthority.generate(name: "another"), as: "graph.facebook.com"))
    }

    @Test func aCAReadBackFromItsPEMFilesIsTheSameAndSignsLikeIt() async throws {
        let ca = try CertificateAuthority.generate()
        let back = try CertificateAuthority(certificatePEM: try ca.certificatePEM, keyPEM: ca.keyPEM)
        #expect(back.certificate == ca.certificate)
        #expect(try back.fingerprint == ca.fingerprint && back.fingerprint.count == 32 * 3 - 1)
        #expect(await Self.verify(try back.leaf(for: "graph.facebook.com").certificate, trusting: ca, as: "graph.facebook.com"))
    }

    @Test func filesThatAreNotTheCAAreRefusedWithWhy() throws {
        let ca = try CertificateAuthority.generate(), other = try CertificateAuthority.generate()
        let leafPEM = try ca.leaf(for: "graph.facebook.com").certificate.serializeAsPEM().pemString
        #expect(throws: CertificateAuthority.Problem.certificate("not a PEM certificate")) {
            try CertificateAuthority(certificatePEM: "garbage", keyPEM: ca.keyPEM)
        }
        #expect(throws: CertificateAuthority.Problem.key("not a PEM P-256 private key")) {
            try CertificateAuthority(certificatePEM: try ca.certificatePEM, keyPEM: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
        }
        #expect(throws: CertificateAuthority.Problem.certificate("not a CA certificate (no basicConstraints CA:TRUE)")) {
            try CertificateAuthority(certificatePEM: leafPEM, keyPEM: ca.keyPEM)
        }
        #expect(throws: CertificateAuthority.Problem.key("not the private key of the certificate")) {
            try CertificateAuthority(certificatePEM: try ca.certificatePEM, keyPEM: other.keyPEM)
        }
    }

    /// Whether a TLS client that trusts only `ca` accepts `leaf` for `host` now.
    static func verify(_ leaf: Certificate, trusting ca: CertificateAuthority, as host: String) async -> Bool {
        var verifier = Verifier(rootCertificates: CertificateStore([ca.certificate])) {
            RFC5280Policy()
            ServerIdentityPolicy(serverHostname: host, serverIP: nil)
        }
        if case .validCertificate = await verifier.validate(leaf: leaf, intermediates: CertificateStore()) { return true }
        return false
    }
}
