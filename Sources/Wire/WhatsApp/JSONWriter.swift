/// Writes compact JSON as Meta signs it: ASCII only, every non-ASCII character as a lowercase `\uXXXX`
/// escape (UTF-16 surrogate pairs above U+FFFF), no spaces between tokens.
///
/// Meta computes `X-Hub-Signature-256` over this "escaped unicode" form, so a harness that serialised
/// UTF-8 would sign different bytes than a real delivery. The writer appends straight into a byte
/// buffer: one allocation per body, no intermediate strings.
///
/// ```swift
/// var w = JSONWriter()
/// w.object { w.field("body") { w.string("café") } }   // {"body":"caf\u00e9"}
/// ```
public struct JSONWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]
    private var needsComma = false

    /// Creates a writer with room for `capacity` bytes.
    public init(capacity: Int = 1024) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Goes on from `written`, bytes that end inside an object after one of its fields (a pre-rendered
    /// envelope's head): the next field is written after a comma (unless `comma` is false: `written` ends
    /// where no field was). Room for `capacity` bytes in all.
    init(after written: [UInt8], capacity: Int, comma: Bool = true) {
        bytes = written
        bytes.reserveCapacity(max(capacity, written.count))
        needsComma = comma
    }

    /// Appends bytes that are already JSON (a pre-rendered envelope's tail), as they are.
    mutating func appendRaw(_ raw: [UInt8]) {
        bytes += raw
        needsComma = true
    }

    /// Appends bytes that are already JSON as the next value, or the next fields, of the array or object
    /// being written (after a comma when one is due); nothing when there are none.
    mutating func appendRendered(_ raw: ArraySlice<UInt8>) {
        guard !raw.isEmpty else { return }
        separate()
        bytes += raw
        needsComma = true
    }

    /// Writes `{ … }`; the closure writes the fields.
    public mutating func object(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Writes `[ … ]`; the closure writes the elements.
    public mutating func array(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes `"key":` followed by whatever the closure writes.
    public mutating func field(_ key: String, _ value: (inout JSONWriter) -> Void) {
        separate()
        appendQuoted(key)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
        value(&self)
        needsComma = true
    }

    /// Writes `"key":"value"`.
    public mutating func field(_ key: String, string value: String) {
        field(key) { $0.string(value) }
    }

    /// Writes a string value, escaped.
    public mutating func string(_ value: String) {
        separate()
        appendQuoted(value)
        needsComma = true
    }

    /// Writes `value`'s decimal digits as a string (`"1750000000"`, as Meta writes timestamps), with no
    /// `String` made for them.
    public mutating func string(digitsOf value: Int64) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in  // UInt64.max has 20
            var rest = value.magnitude, first = digits.count
            repeat {
                first -= 1
                digits[first] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[first...]))
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Writes a number exactly as given (the caller formats it, e.g. `"37.44221496582"`).
    public mutating func rawNumber(_ literal: String) {
        separate()
        bytes.append(contentsOf: literal.utf8)
        needsComma = true
    }

    /// Writes `true` or `false`.
    public mutating func bool(_ value: Bool) {
        rawNumber(value ? "true" : "false")
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func appendQuoted(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most strings are ASCII with nothing to escape: their UTF-8 bytes are copied in runs. Others need
        // their UTF-16 units, since Meta escapes non-ASCII as \uXXXX surrogate pairs.
        let mark = bytes.count
        if s.utf8.withContiguousStorageIfAvailable({ appendASCII($0) }) != true {
            bytes.removeSubrange(mark...)
            for unit in s.utf16 { appendEscaped(unit) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends ASCII `utf8` escaped, copying the runs that need no escape at once; false (with part of it
    /// appended) at the first non-ASCII byte.
    private mutating func appendASCII(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        var run = 0
        for i in 0..<utf8.count {
            let byte = utf8[i]
            if byte >= 0x20, byte < 0x7F, byte != 0x22, byte != 0x5C { continue }
            if byte >= 0x80 { return false }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<i]))
            appendEscaped(UInt16(byte))
            run = i + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run...]))
        return true
    }

    private mutating func appendEscaped(_ unit: UInt16) {
        switch unit {
        case 0x22: bytes.append(0x5C); bytes.append(0x22)
        case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
        case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
        case 0x08: bytes.append(0x5C); bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(0x5C); bytes.append(UInt8(ascii: "f"))
        case 0x20..<0x7F: bytes.append(UInt8(unit))
        default: appendUnicodeEscape(unit)
        }
    }

    private mutating func appendUnicodeEscape(_ unit: UInt16) {
        bytes.append(0x5C)
        bytes.append(UInt8(ascii: "u"))
        for shift in stride(from: 12, through: 0, by: -4) {
            bytes.append(Hex.lowercaseDigits[Int((unit >> UInt16(shift)) & 0xF)])
        }
    }
}

/// Lowercase hexadecimal, as Meta writes signatures and escapes.
public enum Hex {
    static let lowercaseDigits: [UInt8] = Array("0123456789abcdef".utf8)
    static let uppercaseDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// The value of one hex digit, either case; nil when `c` is not one.
    static func value(of c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Encodes bytes as lowercase hex.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(lowercaseDigits[Int(byte >> 4)])
            out.append(lowercaseDigits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
