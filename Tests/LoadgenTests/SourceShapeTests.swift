import Foundation
import Testing

/// The shape the sources keep (STYLE.md, and the runtime issue's bar): no file over 300 lines, no
/// function over 60, and few classes holding a lock, each saying in its doc comment why it is shared
/// and who owns it. This reads every file under `Sources/` with a small scanner that skips comments and
/// string literals, so a brace in a string does not move a body's end.
@Suite struct SourceShapeTests {
    static let maxFileLines = 300
    static let maxFunctionLines = 60
    /// Half the 27 the runtime redesign started from, and two more: the closed model's lane, which holds
    /// its thinking users in a heap so that 100,000 of them are not 100,000 suspended tasks, and its home's
    /// board, where a worker finds the most overdue user of all the home's lanes.
    static let maxLockHoldingClasses = 15

    @Test func noFileIsLongerThan300Lines() throws {
        let long = try Self.files().filter { $0.lines.count > Self.maxFileLines }.map { "\($0.path): \($0.lines.count) lines" }
        #expect(long.isEmpty, "\(long)")
    }

    @Test func noFunctionIsLongerThan60Lines() throws {
        var long: [String] = []
        for file in try Self.files() {
            for f in file.functions() where f.lines > Self.maxFunctionLines { long.append("\(file.path):\(f.line): \(f.lines) lines") }
        }
        #expect(long.isEmpty, "\(long)")
    }

    @Test func fewClassesHoldALockAndEachSaysWhy() throws {
        var holders: [String] = []
        var undocumented: [String] = []
        for file in try Self.files() {
            for holder in file.lockHoldingClasses() {
                holders.append("\(file.path): \(holder.name)")
                if !holder.doc.contains("Shared on purpose") { undocumented.append("\(file.path): \(holder.name)") }
            }
        }
        #expect(!holders.isEmpty, "the scanner found no lock at all: it is broken")
        #expect(holders.count <= Self.maxLockHoldingClasses, "\(holders.count) classes hold a lock: \(holders)")
        #expect(undocumented.isEmpty, "no 'Shared on purpose' in the doc comment of \(undocumented)")
    }

    @Test func theScannerSeesBodiesThroughStringsAndComments() {
        let text = """
            /// Shared on purpose: a test.
            final class Box: Sendable {
                private let state = Mutex(0)
                func a() {
                    let s = "}}} \\" {"
                    // }
                    let t = \"""
                        }
                        \"""
                }
            }
            func b() { }
            """
        let file = SourceFile(path: "x.swift", lines: text.components(separatedBy: "\n"))
        #expect(file.functions().map(\.lines) == [7, 1])
        #expect(file.lockHoldingClasses().map(\.name) == ["Box"])
    }

    static func files() throws -> [SourceFile] { try all.get() }

    /// The sources, read once for the three tests.
    private static let all = Result { try read() }

    private static func read() throws -> [SourceFile] {
        let root = LayeringTests.sources.standardizedFileURL
        let paths = try #require(FileManager.default.enumerator(atPath: root.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        guard paths.count > 50 else { throw CocoaError(.fileReadNoSuchFile) }
        return try paths.sorted().map { path in
            let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            return SourceFile(path: path, lines: text.components(separatedBy: "\n"))
        }
    }
}

/// One source file, its code with comments and string literals blanked out.
struct SourceFile {
    let path: String
    let lines: [String]
    /// Each line's code: comments and the insides of string literals replaced by spaces.
    let code: [String]

    init(path: String, lines: [String]) {
        self.path = path
        self.lines = lines
        code = Self.blank(lines)
    }

    /// Where each `{` opened and its `}` closed, as line indexes, in the order they opened, with how many
    /// braces were open around it; and how many were open at the start of each line.
    func braces() -> (pairs: [(open: Int, close: Int, depth: Int)], depthAt: [Int]) {
        var pairs: [(open: Int, close: Int, depth: Int)] = []
        var depthAt: [Int] = []
        var stack: [Int] = []
        for (i, line) in code.enumerated() {
            depthAt.append(stack.count)
            for c in line {
                if c == "{" { stack.append(pairs.count); pairs.append((i, -1, stack.count - 1)) }
                if c == "}", let top = stack.popLast() { pairs[top].close = i }
            }
        }
        return (pairs, depthAt)
    }

    /// The body of what is declared at line `start`: the first brace after it opened at the line's own depth,
    /// within a few lines (none for a requirement in a protocol).
    private func body(of start: Int, in braces: (pairs: [(open: Int, close: Int, depth: Int)], depthAt: [Int])) -> (open: Int, close: Int)? {
        guard let b = braces.pairs.first(where: { $0.open >= start && $0.depth <= braces.depthAt[start] }),
              b.depth == braces.depthAt[start], b.open - start < 8 else { return nil }
        return (b.open, b.close)
    }

    /// Every function, initialiser, deinitialiser and subscript with a body: where it starts and how
    /// many lines it spans, its declaration to its closing brace.
    func functions() -> [(line: Int, lines: Int)] {
        let braces = braces()
        let starts = code.indices.filter { Self.declares(code[$0], ["func", "init", "init?", "deinit", "subscript"]) }
        return starts.enumerated().compactMap { n, start in
            let next = n + 1 < starts.count ? starts[n + 1] : code.count
            guard let body = body(of: start, in: braces), body.open < next else { return nil }
            return (start + 1, body.close - start + 1)
        }
    }

    /// The classes with a `Mutex` or `Atomic` among their own stored properties, with their doc comments.
    func lockHoldingClasses() -> [(name: String, doc: String)] {
        let braces = braces()
        let classes = code.indices.filter { Self.declares(code[$0], ["class"]) }.compactMap { start -> (Int, Int, String)? in
            guard let body = body(of: start, in: braces) else { return nil }
            let words = code[start].split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" })
            guard let k = words.firstIndex(of: "class"), k + 1 < words.count, !["func", "var", "let"].contains(words[k + 1]) else { return nil }
            return (start, body.close, String(words[k + 1]))
        }
        return classes.compactMap { start, end, name in
            let inner = classes.filter { $0.0 > start && $0.1 <= end }
            let holds = (start...end).contains { i in
                !inner.contains { $0.0 <= i && i <= $0.1 } && Self.holdsLock(code[i])
            }
            guard holds else { return nil }
            let doc = lines[..<start].reversed().prefix { $0.trimmingCharacters(in: .whitespaces).hasPrefix("///") }
            return (name, doc.reversed().joined(separator: "\n"))
        }
    }

    private static func holdsLock(_ line: String) -> Bool {
        let t = line.trimmingCharacters(in: .whitespaces)
        guard t.hasPrefix("let ") || t.hasPrefix("private let ") || t.hasPrefix("fileprivate let ") || t.hasPrefix("public let ") else { return false }
        return t.contains("Mutex") || t.contains("Atomic<") || t.contains("Atomic(")
    }

    /// Whether a line of code declares one of `keywords`, after attributes and modifiers only.
    private static func declares(_ line: String, _ keywords: Set<String>) -> Bool {
        let modifiers: Set<String> = ["public", "private", "fileprivate", "internal", "package", "static", "class", "override", "mutating",
                                      "nonmutating", "nonisolated", "final", "convenience", "required", "open", "indirect", "dynamic"]
        for word in line.split(separator: " ") {
            let w = String(word)
            if keywords.contains(w) || keywords.contains(where: { w.hasPrefix($0 + "(") || w.hasPrefix($0 + "<") }) { return true }
            if w.hasPrefix("@") || (modifiers.contains(w) && !keywords.contains(w)) || w.hasPrefix("private(") { continue }
            return false
        }
        return false
    }

    /// Blanks comments and string literals (one-line, with escapes, and `"""` blocks) across lines.
    private static func blank(_ lines: [String]) -> [String] {
        var inBlock = false  // inside a """ string
        var inComment = false  // inside a /* */ comment
        return lines.map { line in
            var out = ""
            let chars = Array(line)
            var i = 0
            var inString = false
            while i < chars.count {
                let rest = chars[i...]
                if inComment {
                    if rest.starts(with: ["*", "/"]) { inComment = false; i += 1 }
                } else if inBlock {
                    if rest.starts(with: ["\"", "\"", "\""]) { inBlock = false; i += 2 }
                } else if inString {
                    if chars[i] == "\\" { i += 1 } else if chars[i] == "\"" { inString = false }
                } else if rest.starts(with: ["/", "/"]) {
                    break
                } else if rest.starts(with: ["/", "*"]) {
                    inComment = true; i += 1
                } else if rest.starts(with: ["\"", "\"", "\""]) {
                    inBlock = true; i += 2
                } else if chars[i] == "\"" {
                    inString = true
                } else {
                    out.append(chars[i]); i += 1; continue
                }
                out.append(" "); i += 1
            }
            return out
        }
    }
}
