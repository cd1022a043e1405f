import Foundation
import LoadgenCore
import LoadgenHTTP

/// Reads `--target-ca`: a missing file is exit 66; one that holds no certificate, or a block that is not
/// one, is exit 65, said in one line. Without it, the system's trust roots alone.
enum TargetTrustLoader {
    static func load(_ path: String?) throws(LoadgenFailure) -> TrustedCertificates {
        guard let path else { return .system }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadgenFailure(.noInput, "--target-ca: no such file: \(path)")
        }
        do { return try TrustedCertificates(pem: Array(data)) } catch {
            throw LoadgenFailure(.dataError, "--target-ca \(path): \(error.description)")
        }
    }
}
