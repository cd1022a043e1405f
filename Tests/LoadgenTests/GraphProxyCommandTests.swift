import ArgumentParser
import Foundation
@testable import LoadgenCLI
import LoadgenCore
import LoadgenHTTP
import Testing

/// `loadgen ca` and the `--graph-proxy` flags, run as the built binary: the CA's files and modes, and
/// every bad input as one line, word for word, with its documented exit code.
@Suite(.timeLimit(.minutes(1)))
struct GraphProxyCommandTests {
    /// A fresh directory for one test, removed afterwards.
    static func scratch(_ name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loadgen-graph-proxy-\(getpid())-\(name)")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The one `loadgen: error:` line, exactly.
    static func expectError(_ o: CommandLineTests.Outcome, status: Int32, _ line: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(o.status == status, "stderr: \(o.stderr)", sourceLocation: sourceLocation)
        #expect(o.stderr.split(separator: "\n").filter { $0.hasPrefix("loadgen: error:") } == ["loadgen: error: " + line[...]],
                sourceLocation: sourceLocation)
        CommandLineTests.expectOneClearLine(o, containing: line, sourceLocation: sourceLocation)
    }

    @Test func caMakesTheCAOnceKeepsTheKeyPrivateAndPrintsTheCertificate() throws {
        let dir = try Self.scratch("ca").appendingPathComponent("nested/ca")
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent().deletingLastPathComponent()) }
        let first = try CommandLineTests.run(["ca", "--ca-dir", dir.path])
        #expect(first.status == 0, "\(first.stderr)")
        let certificate = dir.appendingPathComponent("ca.pem"), key = dir.appendingPathComponent("ca-key.pem")
        let attributes = try FileManager.default.attributesOfItem(atPath: key.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect((try FileManager.default.attributesOfItem(atPath: certificate.path)[.posixPermissions] as? NSNumber)?.intValue == 0o644)
        #expect(try String(contentsOf: key, encoding: .utf8).hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let pem = try String(contentsOf: certificate, encoding: .utf8)
        #expect(pem.hasPrefix("-----BEGIN CERTIFICATE-----\n") && first.stdout == pem)
        #expect(first.stderr.hasPrefix("loadgen: created loadgen's CA in \(dir.path): \(certificate.path) (the certificate bots trust), "
            + "\(key.path) (its private key, mode 600)\nloadgen: SHA-256 fingerprint "), "\(first.stderr)")
        let again = try CommandLineTests.run(["ca", "--ca-dir", dir.path])
        #expect(again.status == 0 && again.stdout == pem, "the same CA, kept")
        #expect(again.stderr.hasPrefix("loadgen: using loadgen's CA in \(dir.path): "), "\(again.stderr)")
        _ = try CertificateAuthority(certificatePEM: pem, keyPEM: try String(contentsOf: key, encoding: .utf8))
    }

    @Test func theCADirectoryIsLOADGEN_CA_DIRElseUnderHOME() throws {
        let dir = try Self.scratch("env")
        defer { try? FileManager.default.removeItem(at: dir) }
        let fromVariable = try CommandLineTests.run(["ca"], environment: ["LOADGEN_CA_DIR": dir.appendingPathComponent("v").path])
        #expect(fromVariable.status == 0 && FileManager.default.fileExists(atPath: dir.appendingPathComponent("v/ca.pem").path))
        let fromHome = try CommandLineTests.run(["ca"], environment: ["HOME": dir.path, "LOADGEN_CA_DIR": ""])
        #expect(fromHome.status == 0 && FileManager.default.fileExists(atPath: dir.appendingPathComponent(".loadgen/ca/ca-key.pem").path))
    }

    /// `--ca-dir`, else `$LOADGEN_CA_DIR`, else `$HOME/.loadgen/ca`, for run and smoke alike; hosts and tunnels as given.
    @Test func aPlanCarriesTheProxyWithItsCADirectory() throws {
        let flags = ["--graph-proxy", "127.0.0.1:0", "--graph-proxy-host", "graph.example.com,graph.example.org", "--graph-proxy-tunnel", "api.openai.com:443"]
        let run = try Loadgen.Run.parse(flags)
        let home = try run.plan(environment: ["HOME": "/home/bot"]).0.graphProxy
        #expect(home?.caDirectory == "/home/bot/.loadgen/ca")
        #expect(home?.hosts == ["graph.facebook.com", "graph.example.com", "graph.example.org"] && home?.tunnels.map(\.description) == ["api.openai.com:443"])
        #expect(try run.plan(environment: ["HOME": "/home/bot", "LOADGEN_CA_DIR": "/srv/ca"]).0.graphProxy?.caDirectory == "/srv/ca")
        let given = try Loadgen.Run.parse(flags + ["--ca-dir", "/etc/loadgen-ca"])
        #expect(try given.plan(environment: ["LOADGEN_CA_DIR": "/srv/ca"]).0.graphProxy?.caDirectory == "/etc/loadgen-ca")
        let smoke = try Loadgen.Smoke.parse(flags)
        #expect(try smoke.plan(environment: ["HOME": "/home/bot"]).0.run.graphProxy?.caDirectory == "/home/bot/.loadgen/ca")
        #expect(try Loadgen.Run.parse([]).plan(environment: [:]).0.graphProxy == nil)
        #expect(try Loadgen.Run.parse(["--graph-proxy", "0"]).graphProxy.spec?.listen == HostPort(host: "127.0.0.1", port: 0), "loopback by default")
    }

    @Test(arguments: [
        (["--graph-proxy", "nonsense"],
         "The value 'nonsense' is invalid for '--graph-proxy <host:port>': write HOST:PORT such as 127.0.0.1:4200, or a port alone for 127.0.0.1 (0 picks a free one) (see 'loadgen help')"),
        (["--graph-proxy", "127.0.0.1:0", "--graph-proxy-host", "bad_host!"],
         "--graph-proxy-host 'bad_host!' is not a host name (write e.g. graph.facebook.com, without scheme or port) (see 'loadgen help')"),
        (["--graph-proxy-host", "graph.example.com"],
         "--graph-proxy-host and --graph-proxy-tunnel shape the graph proxy: add --graph-proxy HOST:PORT (see 'loadgen help')"),
        (["--graph-proxy", "127.0.0.1:0", "--graph-proxy-tunnel", "a:b:c"],
         "The value 'a:b:c' is invalid for '--graph-proxy-tunnel <host[:port]>': write HOST or HOST:PORT such as api.openai.com:443 (got 'a:b:c') (see 'loadgen help')"),
        (["--graph-proxy", "127.0.0.1:0", "--graph-proxy-tunnel", "graph.facebook.com:443"],
         "--graph-proxy-tunnel graph.facebook.com:443 names a host the proxy intercepts; a host is either intercepted or tunnelled (see 'loadgen help')"),
        (["smoke", "--graph-proxy", "127.0.0.1"],
         "The value '127.0.0.1' is invalid for '--graph-proxy <host:port>': write HOST:PORT such as 127.0.0.1:4200, or a port alone for 127.0.0.1 (0 picks a free one) (see 'loadgen help')"),
        (["--graph-proxy", "70000"],
         "The value '70000' is invalid for '--graph-proxy <host:port>': write HOST:PORT such as 127.0.0.1:4200, or a port alone for 127.0.0.1 (0 picks a free one) (see 'loadgen help')"),
    ])
    func badFlagsAreUsageErrors(arguments: [String], line: String) throws {
        Self.expectError(try CommandLineTests.run(arguments), status: 64, line)
    }

    /// A CA directory that cannot serve, for `loadgen ca` and for a run alike: what is wrong, and the code.
    @Test func badCAFilesAndDirectoriesAreOneLineWithTheirExitCodes() throws {
        let root = try Self.scratch("bad")
        defer { try? FileManager.default.removeItem(at: root) }
        func dir(_ name: String, certificate: String?, key: String?) throws -> String {
            let dir = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            if let certificate { try Data(certificate.utf8).write(to: dir.appendingPathComponent("ca.pem")) }
            if let key { try Data(key.utf8).write(to: dir.appendingPathComponent("ca-key.pem")) }
            return dir.path
        }
        let good = try CertificateAuthority.generate()
        let corrupt = try dir("corrupt", certificate: "garbage\n", key: good.keyPEM)
        let badKey = try dir("bad-key", certificate: try good.certificatePEM, key: "junk\n")
        let half = try dir("half", certificate: try good.certificatePEM, key: nil)
        let folder = try dir("folder", certificate: nil, key: good.keyPEM)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("folder/ca.pem"), withIntermediateDirectories: true)
        try Data().write(to: root.appendingPathComponent("a-file"))
        let cases: [(String, Int32, String)] = [
            (corrupt, 65, "\(corrupt)/ca.pem: not a PEM certificate"),
            (badKey, 65, "\(badKey)/ca-key.pem: not a PEM P-256 private key"),
            (half, 66, "loadgen's CA in \(half) is incomplete: ca.pem is there but ca-key.pem is not; restore ca-key.pem, or remove ca.pem to make a new CA"),
            (folder, 66, "cannot read \(folder)/ca.pem: is a directory"),
            (root.path + "/a-file/ca", 73, "cannot create loadgen's CA in \(root.path)/a-file/ca: mkdir \(root.path)/a-file/ca: not a directory"),
        ]
        for (caDir, status, line) in cases {
            Self.expectError(try CommandLineTests.run(["ca", "--ca-dir", caDir]), status: status, line)
            let run = try CommandLineTests.run(["--graph-proxy", "127.0.0.1:0", "--ca-dir", caDir, "--report-dir", root.appendingPathComponent("r").path])
            Self.expectError(run, status: status, line)
        }
    }

    @Test func aProxyAddressInUseIsExit71() async throws {
        let dir = try Self.scratch("in-use")
        defer { try? FileManager.default.removeItem(at: dir) }
        let taken = try await HTTPServer.bind(host: "127.0.0.1", port: 0)  // bound, never served: the port is taken
        let o = try CommandLineTests.run(["--graph-proxy", "127.0.0.1:\(taken.port)", "--ca-dir", dir.path, "--report-dir", dir.appendingPathComponent("r").path])
        Self.expectError(o, status: 71, "--graph-proxy: cannot listen on 127.0.0.1:\(taken.port): address already in use")
        #expect(o.stderr.contains("loadgen: created loadgen's CA in \(dir.path): "), "the CA is made (and kept) before the address is tried")
    }
}
