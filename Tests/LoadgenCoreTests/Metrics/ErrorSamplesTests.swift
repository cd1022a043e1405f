@testable import LoadgenCore
import Testing

/// What a target said when it refused turns: a few distinct samples per class, one line each, cut,
/// secrets redacted, and merged across shards.
@Suite struct ErrorSamplesTests {
    @Test func keepsTheFirstThreeDistinctSamplesOfEachClass() {
        var s = ErrorSamples()
        for body in ["a", "b", "a", "c", "d"] { s.note(.http429, body) }
        s.note(.http5xx, "  upstream\n\tdown  ")
        s.note(.http5xx, "")
        #expect(s.byClass == ["http_429": ["a", "b", "c"], "http_5xx": ["upstream down"]])
    }

    @Test func aLongSampleIsCutAndMarked() {
        var s = ErrorSamples()
        s.note(.http4xx, String(repeating: "x", count: 1_000))
        let kept = try! #require(s.byClass["http_4xx"]?.first)
        #expect(kept.count == ErrorSamples.maxCharacters + 1 && kept.hasSuffix("…"))
    }

    @Test func mergeAddsTheOthersSamplesAfterItsOwn() {
        var a = ErrorSamples(), b = ErrorSamples()
        a.note(.http429, "one")
        a.note(.http429, "two")
        for t in ["two", "three", "four"] { b.note(.http429, t) }
        b.note(.io, "reset")
        var m = RunMetrics()
        m.noteError(.http429, said: "one")
        var other = RunMetrics()
        other.errorSamples = b
        m.merge(other)
        a.merge(b)
        #expect(a.byClass == ["http_429": ["one", "two", "three"], "io": ["reset"]])
        #expect(m.errorSamples?.byClass == ["http_429": ["one", "two", "three"], "io": ["reset"]])
    }

    @Test(arguments: [
        (#"{"error":"bad signature for s3cr3t-app-value"}"#, #"{"error":"bad signature for [redacted]"}"#),
        (#"{"access_token": "EAAGm0PX4ZCps", "ok": false}"#, #"{"access_token": "[redacted]", "ok": false}"#),
        ("Authorization: Bearer EAAG.abc.def rejected", "Authorization: Bearer [redacted] rejected"),
        ("GET /x?token=abc123&user=5", "GET /x?token=[redacted]&user=5"),
        ("password=hunter2", "password=[redacted]"),
        ("the tokenizer failed: secret sauce", "the tokenizer failed: secret sauce"),  // names, but no value given
        (#"{"error":"Rate limit exceeded"}"#, #"{"error":"Rate limit exceeded"}"#),
    ])
    func secretsAreRedacted(said: String, kept: String) {
        #expect(Redactor(secrets: ["s3cr3t-app-value"]).redact(said) == kept)
    }
}
