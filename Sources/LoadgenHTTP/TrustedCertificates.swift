import NIOSSL

/// The certificates an HTTPS client trusts besides the system's (`--target-ca`): a staging bot's private
/// CA, or its self-signed certificate. Only trust is added: the chain, the dates and the host name are
/// checked as for any other server.
///
/// ```swift
/// let trust = try TrustedCertificates(pem: Array(pemFileContents))
/// let client = try HTTPClient(origin: target.origin, maxConnections: 64, trust: trust)
/// ```
public struct TrustedCertificates: Sendable {
    private let certificates: [NIOSSLCertificate]

    /// The system's trust roots alone.
    public static let system = TrustedCertificates(certificates: [])

    private init(certificates: [NIOSSLCertificate]) { self.certificates = certificates }

    /// The certificates of `pem`'s `BEGIN CERTIFICATE` blocks. Throws `Problem` when it has none, or when
    /// a block is not a certificate that parses.
    public init(pem: [UInt8]) throws(Problem) {
        let begin = Array("-----BEGIN CERTIFICATE-----".utf8)
        guard pem.indices.contains(where: { pem[$0...].starts(with: begin) }) else {
            throw Problem(description: "it holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        do { self.init(certificates: try NIOSSLCertificate.fromPEMBytes(pem)) } catch {
            throw Problem(description: "a PEM block in it is not an X.509 certificate")
        }
    }

    /// How many certificates are trusted besides the system's.
    public var count: Int { certificates.count }

    /// A client's TLS context: the system's roots and these.
    func clientContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if !certificates.isEmpty { configuration.additionalTrustRoots = [.certificates(certificates)] }
        return try NIOSSLContext(configuration: configuration)
    }

    /// Why a file is not one to trust.
    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }
}
