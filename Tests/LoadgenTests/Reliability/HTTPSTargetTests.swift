import ArgumentParser
import Foundation
@testable import LoadgenCLI
import LoadgenCore
import LoadgenHTTP
import LoadgenRuntime
import LoadgenTesting
import Testing

/// A bot served over HTTPS with a certificate its own CA signed, as staging bots often are, tested end to
/// end: trusting that CA with `--target-ca`, the smoke checklist passes (the health probe and Meta's
/// handshake over TLS too) and a run's deliveries and status webhooks are accepted, signatures checked;
/// without it, the run stops at once with one line saying the certificate is not trusted, and how to
/// trust it.
@Suite(.timeLimit(.minutes(2)))
struct HTTPSTargetTests {
    typealias CLI = CommandLineTests
    private static let secrets = ServedFAQBot.secrets

    /// Runs `body` with the FAQ bot on HTTPS at `https://localhost:PORT`, its certificate (for `localhost`)
    /// signed by a CA made for the test, whose certificate is in `caFile`.
    private func withHTTPSBot<T: Sendable>(
        _ body: @Sendable (_ target: String, _ graphPort: Int, _ caFile: String, _ bot: ServedFAQBot) async throws -> T
    ) async throws -> T {
        let ca = try CertificateAuthority.generate(name: "a staging bot's CA")
        let dir = try temporaryFolder("https-target")
        defer { try? FileManager.default.removeItem(at: dir) }
        let caFile = dir.appendingPathComponent("ca.pem").path
        try Data(try ca.certificatePEM.utf8).write(to: URL(fileURLWithPath: caFile))
        return try await ServedFAQBot.with(tls: ca) { target, graphPort, bot in
            #expect(target.hasPrefix("https://localhost:"))
            return try await body(target, graphPort, caFile, bot)
        }
    }

    @Test func aSmokeTestOfAnHTTPSBotWithAPrivateCAPassesTrustingIt() async throws {
        let dir = try temporaryFolder("https-smoke")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try ServedFAQBot.scenarioFile(named: "faq-over-https", in: dir).path
        let outcome = try await withHTTPSBot { target, port, caFile, _ in
            try await Loadgen.Smoke.parse([
                "-f", file, "--target", target, "--health", target.replacingOccurrences(of: "/webhook", with: "/health"), "--target-ca", caFile,
                "--graph-listen", "127.0.0.1:\(port)", "--duration", "1s", "--think-time", "0.2s", "--quiet", "--report-dir", dir.path,
            ]).outcome(environment: Self.secrets)
        }
        let checks = Dictionary(outcome.report.checks.map { ($0.name, $0) }) { a, _ in a }
        #expect(checks["health"]?.status == .pass, "\(String(describing: checks["health"]))")
        #expect(checks["handshake"]?.status == .pass, "\(String(describing: checks["handshake"]))")
        #expect(outcome.report.checks.allSatisfy { $0.status != .fail }, "\(outcome.report.checks)")
        #expect(outcome.report.totals.turns > 0 && outcome.report.totals.errors == 0, "\(outcome.report.totals)")
        #expect(outcome.status == .pass, "\(outcome.report.criteria.filter { !$0.passed })")
    }

    @Test func aRunDeliversItsWebhooksAndStatusesOverTLS() async throws {
        let dir = try temporaryFolder("https-run")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try ServedFAQBot.scenarioFile(named: "faq-over-https", in: dir).path
        let (outcome, statuses) = try await withHTTPSBot { target, port, caFile, bot in
            let outcome = try await Loadgen.Run.parse([
                "-f", file, "--target", target, "--health", target.replacingOccurrences(of: "/webhook", with: "/health"), "--target-ca", caFile,
                "--graph-listen", "127.0.0.1:\(port)",
                "--concurrency", "2", "--journeys", "3", "--think-time", "0", "--duration", "30", "--quiet", "--report-dir", dir.path,
            ]).outcome(environment: Self.secrets)
            return (outcome, bot.statusesAccepted)
        }
        #expect(outcome.report.totals.turns == 6 && outcome.report.totals.errors == 0, "\(outcome.report.totals)")
        #expect(statuses > 0, "no status webhook reached the bot over TLS")
        #expect(outcome.report.delivery.statusCallbacks?.failed == 0, "\(String(describing: outcome.report.delivery.statusCallbacks))")
        #expect(outcome.status == .pass, "\(outcome.report.criteria.filter { !$0.passed })")
    }

    @Test func withoutTheCATheRunSaysTheCertificateIsNotTrustedAndHowToTrustIt() async throws {
        let o = try await withHTTPSBot { target, _, _, _ in try CLI.run(["--target", target], environment: Self.secrets) }
        #expect(o.status == 69)
        CLI.expectOneClearLine(o, containing: "its certificate is not trusted or does not match the host")
        #expect(o.stderr.contains("--target-ca FILE"), "\(o.stderr)")
    }

    /// A CA trusted for another host name does not make the bot's certificate valid for this one.
    @Test func theCADoesNotStandInForTheHostName() async throws {
        let o = try await withHTTPSBot { target, _, caFile, _ in
            let byAddress = target.replacingOccurrences(of: "localhost", with: "127.0.0.1")
            return try CLI.run(["--target", byAddress, "--target-ca", caFile], environment: Self.secrets)
        }
        #expect(o.status == 69)
        CLI.expectOneClearLine(o, containing: "its certificate is not trusted or does not match the host")
    }

    /// A `--target-ca` that cannot help: one line and its exit code, before anything is sent.
    @Test func aCAFileThatCannotBeTrustedIsRefusedInOneLine() throws {
        let dir = try temporaryFolder("bad-target-ca")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (junk, corrupt) = (dir.appendingPathComponent("not-a-ca.pem"), dir.appendingPathComponent("corrupt-ca.pem"))
        try Data("-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n".utf8).write(to: junk)
        try Data("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n".utf8).write(to: corrupt)
        let https = "https://localhost:1/webhook"
        let cases: [([String], Int32, String)] = [
            (["--target", https, "--target-ca", "/nonexistent/ca.pem"], 66, "--target-ca: no such file: /nonexistent/ca.pem"),
            (["--target", https, "--target-ca", junk.path], 65, "--target-ca \(junk.path): it holds no PEM certificate"),
            (["--target", https, "--target-ca", corrupt.path], 65, "--target-ca \(corrupt.path): a PEM block in it is not an X.509 certificate"),
            (["--target-ca", junk.path], 64, "there is no --target (the embedded bot speaks plain HTTP)"),
            (["--target", "http://127.0.0.1:1/webhook", "--target-ca", junk.path], 64,
             "--target-ca trusts a private CA for an https:// --target or --health; none is https://"),
            (["smoke", "--target", "http://127.0.0.1:1/webhook", "--target-ca", junk.path], 64, "none is https://"),
        ]
        for (arguments, status, message) in cases {
            let o = try CLI.run(arguments, environment: Self.secrets)
            #expect(o.status == status, "\(arguments): \(o.stderr)")
            CLI.expectOneClearLine(o, containing: message)
        }
    }
}
