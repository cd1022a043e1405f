/// Vendors' WhatsApp numbers in the stand-in marketplace: Kenyan `2547…` numbers, which can never be a
/// simulated user's (those are Rwandan `2507…`). Bot sends to them are order notifications to vendors,
/// counted on their own, not as replies to unknown users.
public enum VendorNumbers {
    /// Whether `phone` (digits) is a vendor's number.
    public static func contains(_ phone: String) -> Bool { phone.hasPrefix("2547") && phone.count == 12 }
}
