import ArgumentParser
import Foundation
import LoadgenCore
import LoadgenRuntime

extension Loadgen {
    /// `loadgen ca`: loadgen's certificate authority, made if missing, printed.
    struct CA: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ca",
            abstract: "Make (if missing) and print loadgen's CA: the certificate a bot trusts so that --graph-proxy can read its HTTPS.",
            discussion: """
            The CA is kept in --ca-dir (default: $LOADGEN_CA_DIR, else ~/.loadgen/ca): ca.pem, the certificate to give the bot (SSL_CERT_FILE or REQUESTS_CA_BUNDLE for Python, NODE_EXTRA_CA_CERTS for Node, DENO_CERT for Deno), and ca-key.pem, its private key (mode 600; keep it private: whoever has it can impersonate any host to a bot that trusts ca.pem). Runs with --graph-proxy use the same CA. Prints the certificate on stdout, and where it is on stderr.

            Exit codes: 0 printed, 64 usage, 65 a CA file with bad contents, 66 one of the two files missing or unreadable, 73 the directory or a file cannot be written.
            """)

        @OptionGroup var ca: CADirectoryOption

        func run() async throws {
            try await runCommand { () throws(LoadgenFailure) in
                let directory = try CAStore.directory(given: ca.caDir, environment: ProcessInfo.processInfo.environment)
                let loaded = try CAStore.loadOrCreate(in: directory)
                let (pem, fingerprint, until) = try loaded.described()
                Loadgen.log("\(loaded.created ? "created" : "using") loadgen's CA in \(directory): \(loaded.certificatePath) (the certificate bots trust), "
                    + "\(loaded.keyPath) (its private key, mode 600)")
                Loadgen.log("SHA-256 fingerprint \(fingerprint), valid until \(until)")
                StandardStreams.writeOutput(pem.hasSuffix("\n") ? pem : pem + "\n")
                return .pass
            }
        }
    }
}
