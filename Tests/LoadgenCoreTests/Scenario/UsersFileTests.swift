import LoadgenCore
import Testing

/// `--users-file`: a CSV read into users, each mistake one sentence with file and line.
@Suite struct UsersFileTests {
    @Test func rowsBecomeUsersInOrderWithTheirColumns() throws {
        let text = "phone,name,city,note\r\n+250 788 123 456,Aline Uwase,Kigali,plain\r\n250722000111,\"Mugisha, Eric\",Musanze,\"says \"\"hi\"\"\nthen more\"\r\n\r\n"
        let file = try UsersFile.parse(text, path: "users.csv", seed: 7)
        #expect(file.columns == ["phone", "name", "city", "note"])
        #expect(file.users.map(\.phone) == ["250788123456", "250722000111"])
        #expect(file.users.map(\.profileName) == ["Aline Uwase", "Mugisha, Eric"])
        #expect(file.users.map(\.index) == [0, 1])
        #expect(file.users[1].fields == ["city": "Musanze", "note": "says \"hi\"\nthen more"])
        #expect(file.users[0].bsuid == SimulatedUser(index: 0, seed: 7).bsuid)  // generated where the file has none
        var random = SeededRandom(seed: 1, stream: 0)
        #expect(file.users[1].personalise("Vegetables in {{city}} for {{name}} ({{phone}}), {{unknown}}", random: &random)
            == "Vegetables in Musanze for Mugisha, Eric (250722000111), {{unknown}}")
        // Generators: a number in a range and an id, fresh for each message, from the run's seeded draws.
        var draws = SeededRandom(seed: 9, stream: 0)
        let texts = (0..<200).map { _ in file.users[0].personalise("{{number:3-5}} {{id}}", random: &draws) }
        #expect(Set(texts.map { $0.split(separator: " ")[0] }) == ["3", "4", "5"])
        #expect(texts.allSatisfy { $0.split(separator: " ")[1].count == 12 })
        #expect(Set(texts.map { $0.split(separator: " ")[1] }).count == 200)
        #expect(file.fieldNames == ["phone", "name", "bsuid", "city", "note"])
    }

    @Test func eachBadRowIsOneSentenceWithFileAndLine() {
        let text = """
        phone,name
        +250788123456,Aline
        0788123456,Leading zero
        +250 788 abc,Letters
        250788123456,Twice
        250722000111
        1234567,Too short
        """
        #expect(throws: UsersFile.Problems(lines: [
            "users.csv:3: '0788123456' is not a phone number in E.164 (country code and number, 8–15 digits, e.g. +250788123456)",
            "users.csv:4: '+250 788 abc' is not a phone number in E.164 (country code and number, 8–15 digits, e.g. +250788123456)",
            "users.csv:5: 250788123456 is already the user on line 2: each user needs a number of its own",
            "users.csv:6: 1 fields, the header has 2",
            "users.csv:7: '1234567' is not a phone number in E.164 (country code and number, 8–15 digits, e.g. +250788123456)",
        ])) { try UsersFile.parse(text, path: "users.csv") }
    }

    @Test func aFileWithoutPhonesOrUsersIsRefused() {
        #expect(throws: UsersFile.Problems(lines: ["u.csv:1: no 'phone' column (the header is name,city)"])) {
            try UsersFile.parse("name,city\nAline,Kigali\n", path: "u.csv")
        }
        #expect(throws: UsersFile.Problems(lines: ["u.csv:1: the file is empty: the first line names the columns (phone, name, …)"])) {
            try UsersFile.parse("", path: "u.csv")
        }
        #expect(throws: UsersFile.Problems(lines: ["u.csv:1: no users: add a row under the header"])) {
            try UsersFile.parse("phone,name\n", path: "u.csv")
        }
        #expect(throws: UsersFile.Problems(lines: ["u.csv:1: the column 'phone' is named twice"])) {
            try UsersFile.parse("phone,phone\n250788123456,250788123457\n", path: "u.csv")
        }
    }

    @Test func aPlanChecksThePlaceholdersAndTheNumberOfUsers() throws {
        let scenario = Scenario("csv", summary: "") {
            Persona("p") {
                Send.text("Vegetables in {{city}}, please")
                Expect.reply()
            }
        }
        var config = RunConfig(scenario: scenario)
        #expect(throws: ConfigError("scenario 'csv', persona 'p': {{city}} is not a user field (with --users-file, a column of the file); known: bsuid, name, phone, and the generators {{id}} and {{number:LO-HI}}")) {
            try config.validated()
        }
        config.usersFile = try UsersFile.parse("phone,city\n250788123456,Kigali\n250788123457,Huye\n", path: "u.csv")
        config.concurrency = 3
        #expect(throws: ConfigError("--users-file u.csv has 2 users; the run asks for 3 (users or conversations in flight): add rows or ask for fewer")) {
            try config.validated()
        }
        config.concurrency = 2
        let plan = try config.validated()
        #expect(plan.workload.users.map(\.phone) == ["250788123456", "250788123457"])
        #expect(plan.usersFile == "u.csv")
        config.usersFile = try UsersFile.parse("phone,town\n250788123456,Kigali\n", path: "u.csv")
        config.concurrency = 1
        #expect(throws: ConfigError("scenario 'csv', persona 'p': {{city}} is not a column of u.csv; known: bsuid, name, phone, town, and the generators {{id}} and {{number:LO-HI}}")) {
            try config.validated()
        }
    }
}
