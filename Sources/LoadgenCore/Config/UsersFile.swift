/// Simulated users read from a CSV file (`--users-file`): one user per row, in order, each keeping its
/// row for the whole run. The header names the columns: `phone` (required: E.164, `+` and spaces
/// allowed, kept as digits), `name` (the WhatsApp profile name) and `bsuid` (the business-scoped user
/// id), generated when absent; any other column is a field `{{column}}` in message text can use.
///
/// ```
/// phone,name,city
/// +250 788 123 456,Aline Uwase,Kigali
/// 250722000111,"Mugisha, Eric",Musanze
/// ```
public struct UsersFile: Sendable, Hashable {
    /// Where the users came from, as given.
    public var path: String
    /// The columns, as the header names them.
    public var columns: [String]
    /// One user per row (user 0 is the first row).
    public var users: [SimulatedUser]

    /// Every row that cannot be a user, one sentence each, as `FILE:LINE: …`.
    public struct Problems: Error, Sendable, Equatable, CustomStringConvertible {
        public var lines: [String]
        public init(lines: [String]) { self.lines = lines }
        public var description: String { lines.joined(separator: "\n") }
    }

    /// The most rows a file may hold (the largest run).
    public static let maxRows = 1_000_000

    /// Reads `text` (the file at `path`); users get generated names and BSUIDs from `seed` where the
    /// file has none.
    public static func parse(_ text: String, path: String, seed: UInt64 = 1) throws(Problems) -> UsersFile {
        let rows = CSV.rows(text)
        guard let header = rows.first else { throw Problems(lines: ["\(path):1: the file is empty: the first line names the columns (phone, name, …)"]) }
        let columns = header.fields.map { $0.trimmingSpaces }
        var problems: [String] = []
        func problem(_ line: Int, _ sentence: String) { if problems.count < 20 { problems.append("\(path):\(line): \(sentence)") } }
        guard let phoneColumn = columns.firstIndex(of: "phone") else {
            throw Problems(lines: ["\(path):1: no 'phone' column (the header is \(columns.joined(separator: ",")))"])
        }
        for (i, name) in columns.enumerated() where columns[..<i].contains(name) { problem(1, "the column '\(name)' is named twice") }
        for name in columns where name.isEmpty || name.contains("{") || name.contains("}") { problem(1, "a column needs a name without braces: '\(name)'") }
        var users: [SimulatedUser] = []
        var seen: [String: Int] = [:]
        for row in rows.dropFirst() where !(row.fields.count == 1 && row.fields[0].trimmingSpaces.isEmpty) {
            guard users.count < maxRows else { problem(row.line, "more than \(maxRows) users"); break }
            guard row.fields.count == columns.count else {
                problem(row.line, "\(row.fields.count) fields, the header has \(columns.count)")
                continue
            }
            let raw = row.fields[phoneColumn].trimmingSpaces
            guard let phone = Self.e164Digits(raw) else {
                problem(row.line, "'\(raw)' is not a phone number in E.164 (country code and number, 8–15 digits, e.g. +250788123456)")
                continue
            }
            if let first = seen[phone] {
                problem(row.line, "\(phone) is already the user on line \(first): each user needs a number of its own")
                continue
            }
            seen[phone] = row.line
            let generated = SimulatedUser(index: users.count, seed: seed)
            var fields: [String: String] = [:]
            for (i, name) in columns.enumerated() where !SimulatedUser.standardFields.contains(name) { fields[name] = row.fields[i] }
            let value = { (name: String) -> String? in columns.firstIndex(of: name).map { row.fields[$0].trimmingSpaces }.flatMap { $0.isEmpty ? nil : $0 } }
            users.append(SimulatedUser(index: users.count, phone: phone, profileName: value("name") ?? generated.profileName,
                                       bsuid: value("bsuid") ?? generated.bsuid, fields: fields))
        }
        if users.isEmpty, problems.isEmpty { problem(rows.count, "no users: add a row under the header") }
        guard problems.isEmpty else { throw Problems(lines: problems) }
        return UsersFile(path: path, columns: columns, users: users)
    }

    /// `raw` as E.164 digits (`+`, spaces, dashes, dots and parentheses dropped), or nil.
    static func e164Digits(_ raw: String) -> String? {
        var digits = ""
        for (i, c) in raw.enumerated() {
            if c.isASCII, c.isNumber { digits.append(c) }
            else if c == "+", i == 0 { continue }
            else if " -.()".contains(c) { continue }
            else { return nil }
        }
        guard (8...15).contains(digits.count), digits.first != "0" else { return nil }
        return digits
    }

    /// The names `{{…}}` may use with these users.
    public var fieldNames: Set<String> { Set(SimulatedUser.standardFields + columns) }
}

/// RFC 4180 CSV: fields separated by commas, quoted with `"` (a `""` inside is one quote; a quoted field
/// may hold commas and line breaks), lines ending in LF or CRLF.
enum CSV {
    struct Row: Equatable {
        var line: Int
        var fields: [String]
    }

    static func rows(_ text: String) -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var quoted = false, line = 1, rowLine = 1
        var it = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar? = nil
        func endRow() {
            fields.append(field)
            rows.append(Row(line: rowLine, fields: fields))
            fields = []
            field = ""
        }
        while let c = pending ?? it.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    let next = it.next()
                    if next == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = next }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty: quoted = true
            case ",": fields.append(field); field = ""
            case "\r": continue
            case "\n":
                endRow()
                line += 1
                rowLine = line
            default: field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !fields.isEmpty { endRow() }
        return rows
    }
}
