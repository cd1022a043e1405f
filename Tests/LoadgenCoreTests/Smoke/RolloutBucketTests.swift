import LoadgenCore
import Testing

@Suite struct RolloutBucketTests {
    /// The vectors of reference/easymo.md §2.9.
    @Test(arguments: [("250788123456", 71), ("+250788123456", 84), ("250780000000", 98), ("250788000001", 41)])
    func matchesEasyMO(phone: String, bucket: Int) {
        #expect(RolloutBucket.bucket(of: phone) == bucket)
    }

    @Test func rolloutEdges() {
        #expect(!RolloutBucket.isInside("250788123456", percent: 0))
        #expect(RolloutBucket.isInside("250780000000", percent: 100))
        #expect(RolloutBucket.isInside("250788000001", percent: 42))
        #expect(!RolloutBucket.isInside("250788000001", percent: 41))
    }

    @Test func aboutPercentOfNumbersFallInside() {
        let numbers = (0..<100_000).map { "2507" + String(80_000_000 + $0 * 7) }
        let inside = numbers.filter { RolloutBucket.isInside($0, percent: 10) }.count
        #expect(abs(Double(inside) / 100_000 - 0.10) < 0.01)
    }
}
