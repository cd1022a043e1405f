import Crypto
import FoundationEssentials
import NIOSSL
import SwiftASN1
import X509

/// loadgen's own certificate authority: a P-256 key and a self-signed CA certificate, which signs a leaf
/// certificate for each host the graph proxy intercepts. A bot that trusts the CA's certificate (and
/// nothing else about loadgen) then accepts loadgen as `graph.facebook.com`.
///
/// ```swift
/// let ca = try CertificateAuthority.generate()
/// let pem = try ca.certificatePEM                  // what the bot trusts (ca.pem)
/// let context = try ca.serverContext(for: "graph.facebook.com")
/// ```
public struct CertificateAuthority: Sendable {
    /// The CA's certificate.
    public let certificate: Certificate
    private let key: P256.Signing.PrivateKey

    /// How long a new CA is valid: long enough to be trusted once, like mkcert's (10 years).
    static let caLifetime: TimeInterval = 10 * 365 * 86_400
    /// How long a leaf is valid: leaves are made fresh at every start, so a week is plenty, and well under
    /// the 398 days some TLS clients allow a server certificate.
    static let leafLifetime: TimeInterval = 7 * 86_400
    /// Leaves start an hour in the past, so a bot whose clock runs a little behind still accepts them.
    static let clockSkew: TimeInterval = 3_600

    /// A CA from a certificate and its private key, both PEM. Throws `Problem` when either does not
    /// parse, the certificate is not a CA's, or the key is not the certificate's.
    public init(certificatePEM: String, keyPEM: String) throws(Problem) {
        let certificate: Certificate
        do { certificate = try Certificate(pemEncoded: certificatePEM) } catch { throw .certificate("not a PEM certificate") }
        let key: P256.Signing.PrivateKey
        do { key = try P256.Signing.PrivateKey(pemRepresentation: keyPEM) } catch { throw .key("not a PEM P-256 private key") }
        guard case .isCertificateAuthority = try? certificate.extensions.basicConstraints else {
            throw .certificate("not a CA certificate (no basicConstraints CA:TRUE)")
        }
        guard certificate.publicKey == Certificate.PublicKey(key.publicKey) else { throw .key("not the private key of the certificate") }
        self.init(certificate: certificate, key: key)
    }

    private init(certificate: Certificate, key: P256.Signing.PrivateKey) {
        self.certificate = certificate
        self.key = key
    }

    /// A new CA named `name`, valid from now for ten years.
    public static func generate(name: String = "loadgen interception CA", now: Date = Date()) throws -> CertificateAuthority {
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let subject = try DistinguishedName {
            OrganizationName("loadgen")
            CommonName(name)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-clockSkew), notValidAfter: now.addingTimeInterval(caLifetime),
            issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: publicKey)
            },
            issuerPrivateKey: Certificate.PrivateKey(key))
        return CertificateAuthority(certificate: certificate, key: key)
    }

    /// The certificate as PEM: the file a bot trusts.
    public var certificatePEM: String {
        get throws { try certificate.serializeAsPEM().pemString }
    }

    /// The private key as PEM (PKCS#8): kept next to the certificate, readable by its owner only.
    public var keyPEM: String { key.pemRepresentation }

    /// A leaf certificate for `host` (its only subject alternative name), signed by this CA, and its new key.
    public func leaf(for host: String, now: Date = Date()) throws -> (certificate: Certificate, key: P256.Signing.PrivateKey) {
        let leafKey = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(leafKey.publicKey)
        let caKeyID = (try? certificate.extensions.subjectKeyIdentifier)?.keyIdentifier ?? SubjectKeyIdentifier(hash: certificate.publicKey).keyIdentifier
        let leaf = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-Self.clockSkew), notValidAfter: now.addingTimeInterval(Self.leafLifetime),
            issuer: certificate.subject, subject: try DistinguishedName { OrganizationName("loadgen"); CommonName(host) },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([.dnsName(host)])
                SubjectKeyIdentifier(hash: publicKey)
                AuthorityKeyIdentifier(keyIdentifier: caKeyID)
            },
            issuerPrivateKey: Certificate.PrivateKey(key))
        return (leaf, leafKey)
    }

    /// A TLS server context presenting a fresh leaf for `host`, chained to this CA.
    public func serverContext(for host: String) throws -> NIOSSLContext {
        let (leaf, leafKey) = try leaf(for: host)
        let chain = try [leaf, certificate].map { try NIOSSLCertificate(bytes: Self.der($0), format: .der) }
        let privateKey = try NIOSSLPrivateKey(bytes: Array(leafKey.derRepresentation), format: .der)
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        configuration.applicationProtocols = ["http/1.1"]  // the stand-in speaks HTTP/1.1 only: never offer h2
        return try NIOSSLContext(configuration: configuration)
    }

    /// `certificate` in DER.
    static func der(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }

    /// The last moment the CA's certificate is valid.
    public var validUntil: Date { certificate.notValidAfter }

    /// The SHA-256 fingerprint of the CA's certificate, `AB:CD:…`, as browsers and `openssl x509 -fingerprint` show it.
    public var fingerprint: String {
        get throws {
            SHA256.hash(data: try Self.der(certificate)).map { byte in
                let hex = String(byte, radix: 16, uppercase: true)
                return hex.count == 1 ? "0" + hex : hex
            }.joined(separator: ":")
        }
    }

    /// Why a certificate and key are not a usable CA.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// The certificate file's contents.
        case certificate(String)
        /// The key file's contents.
        case key(String)

        public var description: String {
            switch self {
            case .certificate(let why), .key(let why): why
            }
        }
    }
}
