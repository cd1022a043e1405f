import Foundation

/// A Python virtual environment under `.build/` with the pinned packages of a requirements file in
/// `Fixtures/`, made by the test that needs it, so `swift test` stays the only command (a fresh clone
/// needs Python 3 and PyPI, nothing installed by hand). Made once: a copy of the requirements it was
/// made from marks it ready, and a changed pin makes it again. A failed install fails the test, never
/// skips it.
struct PythonEnvironment: Sendable {
    /// The pywa bot of PywaBotTests.
    static let pywa = PythonEnvironment(name: "pywa", requirements: "pywa-requirements.txt")
    /// kubernetes-validate, which checks deploy/kubernetes against Kubernetes' schemas (KubernetesManifestTests).
    static let kubernetesValidate = PythonEnvironment(name: "kubernetes-validate", requirements: "kubernetes-validate-requirements.txt")

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// What it is for, in messages.
    let name: String
    let requirements: URL
    let directory: URL
    var python: URL { directory.appendingPathComponent("bin/python") }
    /// The environment's `bin/` (console scripts such as `kubernetes-validate`).
    var bin: URL { directory.appendingPathComponent("bin") }
    private var marker: URL { directory.appendingPathComponent("loadgen-requirements.txt") }

    init(name: String, requirements: String) {
        self.name = name
        self.requirements = Self.fixtures.appendingPathComponent(requirements)
        directory = Self.root.appendingPathComponent(".build/\(name)-venv")
    }

    /// Why the environment could not be made: the command, its status and the end of what it said.
    struct SetupFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// Tests that run in parallel make an environment one at a time (the first makes it, the rest find it).
    private static let setup = NSLock()

    /// The environment's python, made (or remade) first if it is not the one the requirements pin.
    func ready() throws -> URL {
        try Self.setup.withLock { try make() }
    }

    private func make() throws -> URL {
        let wanted = try Data(contentsOf: requirements)
        if FileManager.default.isExecutableFile(atPath: python.path), (try? Data(contentsOf: marker)) == wanted { return python }
        try? FileManager.default.removeItem(at: directory)
        try run("/usr/bin/env", ["python3", "-m", "venv", directory.path])
        try run(python.path, ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--quiet", "-r", requirements.path])
        try wanted.write(to: marker)
        return python
    }

    private func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do { try process.run() } catch {
            throw SetupFailed(description: "cannot start \(executable) \(arguments.joined(separator: " ")): \(error)")
        }
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SetupFailed(description: "the \(name) Python environment could not be made: '\(([executable] + arguments).joined(separator: " "))' "
                + "exited \(process.terminationStatus) (needs python3 with venv, and PyPI):\n\(said.suffix(2000))")
        }
    }
}
