import ArgumentParser
import LoadgenCore

/// The business identity every delivery carries (`--phone-number-id`, `--display-phone-number`,
/// `--waba-id`), shared by `run` and `smoke`.
struct BusinessOptions: ParsableArguments {
    @Option(name: .customLong("phone-number-id"), help: "The business phone number id in deliveries and in the Graph path.")
    var phoneNumberID: String = BusinessIdentity.default.phoneNumberID

    @Option(name: .customLong("display-phone-number"), help: "The business number in deliveries' metadata (digits).")
    var displayPhoneNumber: String = BusinessIdentity.default.displayPhoneNumber

    @Option(name: .customLong("waba-id"), help: "The WhatsApp Business Account id (entry[].id).")
    var wabaID: String = BusinessIdentity.default.wabaID

    func validate() throws {
        for (flag, value) in [("--phone-number-id", phoneNumberID), ("--display-phone-number", displayPhoneNumber), ("--waba-id", wabaID)] {
            guard !value.isEmpty, value.allSatisfy(\.isNumber) else { throw ValidationError("\(flag) must be digits (got '\(value)')") }
        }
    }

    var identity: BusinessIdentity {
        BusinessIdentity(wabaID: wabaID, phoneNumberID: phoneNumberID, displayPhoneNumber: displayPhoneNumber)
    }
}
