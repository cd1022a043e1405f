import Foundation
import LoadgenCore
import LoadgenHTTP

/// loadgen's certificate authority on disk, made once and kept: `ca.pem` (the certificate a bot trusts)
/// and `ca-key.pem` (its private key, mode 600) in one directory — `--ca-dir`, else `$LOADGEN_CA_DIR`,
/// else `~/.loadgen/ca`. Kept, not made per run, so a bot is told to trust it once.
///
/// Every way this fails is one line and an exit code: a directory that cannot be made or written is 73,
/// a file missing (one of the two) or unreadable is 66, a file whose contents are not a CA is 65.
public enum CAStore {
    public static let certificateFile = "ca.pem"
    public static let keyFile = "ca-key.pem"
    /// The environment variable that moves the default directory.
    public static let directoryVariable = "LOADGEN_CA_DIR"

    /// A CA read from its directory, or made there just now.
    public struct Loaded: Sendable {
        public let authority: CertificateAuthority
        public let directory: String
        /// True when this call made it.
        public let created: Bool

        public var certificatePath: String { CAStore.path(directory, CAStore.certificateFile) }
        public var keyPath: String { CAStore.path(directory, CAStore.keyFile) }

        /// The certificate as PEM, and how a person recognises it: its SHA-256 fingerprint and its last valid day.
        public func described() throws(LoadgenFailure) -> (pem: String, fingerprint: String, validUntil: String) {
            do {
                let day = ISO8601DateFormatter.string(from: authority.validUntil, timeZone: .gmt, formatOptions: [.withFullDate])
                return (try authority.certificatePEM, try authority.fingerprint, day)
            } catch { throw LoadgenFailure(.software, "cannot encode loadgen's CA: \(error)") }
        }
    }

    /// `given` (`--ca-dir`), else `$LOADGEN_CA_DIR`, else `$HOME/.loadgen/ca`; made absolute, since the path
    /// is said to the bot (`SSL_CERT_FILE=…`), which runs in another directory.
    public static func directory(given: String?, environment: [String: String]) throws(LoadgenFailure) -> String {
        let chosen: String
        if let given {
            chosen = given
        } else if let dir = environment[directoryVariable], !dir.isEmpty {
            chosen = dir
        } else {
            guard let home = environment["HOME"], !home.isEmpty else {
                throw LoadgenFailure(.usage, "HOME is not set: give loadgen's CA a directory with --ca-dir DIR or \(directoryVariable)")
            }
            chosen = path(home, ".loadgen/ca")
        }
        return absolute(chosen)
    }

    /// `directory` from the root, without `.` and `..`.
    static func absolute(_ directory: String) -> String {
        let rooted = directory.hasPrefix("/") ? directory : path(FileManager.default.currentDirectoryPath, directory)
        return URL(fileURLWithPath: rooted).standardizedFileURL.path
    }

    /// The CA in `directory`, made there first when neither of its files exists.
    public static func loadOrCreate(in directory: String) throws(LoadgenFailure) -> Loaded {
        let directory = absolute(directory)
        let certificate = path(directory, certificateFile), key = path(directory, keyFile)
        switch (exists(certificate), exists(key)) {
        case (false, false):
            return try create(in: directory)
        case (true, true):
            return Loaded(authority: try load(certificate: certificate, key: key), directory: directory, created: false)
        case (let haveCertificate, _):
            let (present, missing) = haveCertificate ? (certificateFile, keyFile) : (keyFile, certificateFile)
            throw LoadgenFailure(.noInput, "loadgen's CA in \(directory) is incomplete: \(present) is there but \(missing) is not; "
                + "restore \(missing), or remove \(present) to make a new CA")
        }
    }

    static func load(certificate: String, key: String) throws(LoadgenFailure) -> CertificateAuthority {
        let certificatePEM = try readText(certificate), keyPEM = try readText(key)
        do { return try CertificateAuthority(certificatePEM: certificatePEM, keyPEM: keyPEM) } catch {
            switch error {
            case .certificate(let why): throw LoadgenFailure(.dataError, "\(certificate): \(why)")
            case .key(let why): throw LoadgenFailure(.dataError, "\(key): \(why)")
            }
        }
    }

    /// A new CA written into `directory` (made, mode 700, if needed): the key first, mode 600 from the
    /// moment it exists, then the certificate. Another loadgen making it at the same moment wins quietly.
    static func create(in directory: String) throws(LoadgenFailure) -> Loaded {
        try makeDirectories(directory)
        let authority: CertificateAuthority
        let certificatePEM: String
        do {
            authority = try CertificateAuthority.generate()
            certificatePEM = try authority.certificatePEM
        } catch { throw LoadgenFailure(.software, "cannot make a certificate authority: \(error)") }
        let key = path(directory, keyFile), certificate = path(directory, certificateFile)
        guard try writeNew(authority.keyPEM, to: key, mode: 0o600) else { return try loadOrCreate(in: directory) }
        do throws(LoadgenFailure) {
            guard try writeNew(certificatePEM, to: certificate, mode: 0o644) else { throw LoadgenFailure(.software, "\(certificate) appeared while loadgen wrote it") }
        } catch {
            unlink(key)  // never leave half a CA behind
            throw error
        }
        return Loaded(authority: authority, directory: directory, created: true)
    }

    static func path(_ directory: String, _ name: String) -> String { directory.hasSuffix("/") ? directory + name : directory + "/" + name }

    private static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    private static func reason(_ code: Int32) -> String { String(cString: strerror(code)).lowercased() }

    /// `directory` (absolute) and its parents, each made with mode 700 unless it exists.
    private static func makeDirectories(_ directory: String) throws(LoadgenFailure) {
        var prefix = ""
        for part in directory.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o700) != 0, errno != EEXIST {
                throw LoadgenFailure(.cannotWriteReport, "cannot create loadgen's CA in \(directory): mkdir \(prefix): \(reason(errno))")
            }
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw LoadgenFailure(.cannotWriteReport, "cannot create loadgen's CA in \(directory): it is not a directory")
        }
    }

    /// Writes `text` to a new file at `path` with `mode`; false when the file already exists.
    private static func writeNew(_ text: String, to path: String, mode: mode_t) throws(LoadgenFailure) -> Bool {
        let text = text.hasSuffix("\n") ? text : text + "\n"  // a text file ends with a line break
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        if fd < 0, errno == EEXIST { return false }
        guard fd >= 0 else { throw LoadgenFailure(.cannotWriteReport, "cannot write \(path): \(reason(errno))") }
        defer { close(fd) }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                let why = reason(errno)
                unlink(path)
                throw LoadgenFailure(.cannotWriteReport, "cannot write \(path): \(why)")
            }
            bytes = bytes.dropFirst(n)
        }
        return true
    }

    /// A file's text (at most 1 MiB: a PEM file is a few hundred bytes).
    private static func readText(_ path: String) throws(LoadgenFailure) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw LoadgenFailure(.noInput, "cannot read \(path): \(reason(errno))") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count <= 1 << 20 {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw LoadgenFailure(.noInput, "cannot read \(path): \(reason(errno))") }
            if n == 0 { break }
            bytes += chunk[..<n]
        }
        guard bytes.count <= 1 << 20, let text = String(validating: bytes, as: UTF8.self) else {
            throw LoadgenFailure(.dataError, "\(path): not a PEM file (binary or over 1 MiB)")
        }
        return text
    }
}
