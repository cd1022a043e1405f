/// EasyMO's rollout bucketing (reference/easymo.md §2.9, `shouldUseUnifiedService`): the Java-style
/// `hashCode` of the phone number *as received* (int32 arithmetic over UTF-16 units), then
/// `|h| mod 100`; a number is inside a rollout of `percent` when its bucket is below it.
/// A `+` changes the bucket, so a smoke test must bucket exactly the string the bot will see.
public enum RolloutBucket {
    /// The bucket (0–99) of `phone`, e.g. `250788123456` → 71, `+250788123456` → 84.
    public static func bucket(of phone: String) -> Int {
        var h: Int32 = 0
        for unit in phone.utf16 { h = (h &<< 5) &- h &+ Int32(unit) }
        // JavaScript's Math.abs on an int32: |−2³¹| is 2³¹, which Int64 holds.
        return Int(abs(Int64(h)) % 100)
    }

    /// Whether `phone` is inside a rollout of `percent` (0 = nobody, 100 = everybody).
    public static func isInside(_ phone: String, percent: Int) -> Bool {
        if percent <= 0 { return false }
        if percent >= 100 { return true }
        return bucket(of: phone) < percent
    }
}
