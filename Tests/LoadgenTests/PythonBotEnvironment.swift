import Foundation

/// The Python environment of the pywa bot (PywaBotTests): a virtual environment under `.build/` with the
/// pinned packages of `Fixtures/pywa-requirements.txt`, made by the test itself, so `swift test` stays
/// the only command (a fresh clone needs Python 3 and PyPI, nothing installed by hand). Made once:
/// a copy of the requirements it was made from marks it ready, and a changed pin makes it again.
enum PythonBotEnvironment {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let requirements = fixtures.appendingPathComponent("pywa-requirements.txt")
    static let directory = root.appendingPathComponent(".build/pywa-venv")
    static var python: URL { directory.appendingPathComponent("bin/python") }
    private static var marker: URL { directory.appendingPathComponent("loadgen-requirements.txt") }

    /// Why the environment could not be made: the command, its status and the end of what it said.
    struct SetupFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// The environment's python, made (or remade) first if it is not the one the requirements pin.
    static func ready() throws -> URL {
        let wanted = try Data(contentsOf: requirements)
        if FileManager.default.isExecutableFile(atPath: python.path), (try? Data(contentsOf: marker)) == wanted { return python }
        try? FileManager.default.removeItem(at: directory)
        try run("/usr/bin/env", ["python3", "-m", "venv", directory.path])
        try run(python.path, ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--quiet", "-r", requirements.path])
        try wanted.write(to: marker)
        return python
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
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
            throw SetupFailed(description: "the pywa bot's Python environment could not be made: '\(([executable] + arguments).joined(separator: " "))' "
                + "exited \(process.terminationStatus) (needs python3 with venv, and PyPI):\n\(said.suffix(2000))")
        }
    }
}
