extension PayloadTemplate {
    /// The values loadgen fills in every template: the business, the user, the message, the bot's message
    /// it answers (`context_wamid`) and the user's previous message (`previous_wamid`, for a revoke or an edit).
    public static func standardValues(
        business: BusinessIdentity, phone: String?, profileName: String, bsuid: String, wamid: String, timestamp: Int64,
        contextWamid: String, previousWamid: String
    ) -> [String: Value] {
        [
            "waba_id": .string(business.wabaID), "phone_number_id": .string(business.phoneNumberID),
            "display_phone_number": .string(business.displayPhoneNumber), "profile_name": .string(profileName),
            "phone": .string(phone ?? ""), "bsuid": .string(bsuid), "wamid": .string(wamid),
            "timestamp": .string(String(timestamp)), "context_wamid": .string(contextWamid),
            "previous_wamid": .string(previousWamid),
        ]
    }

    /// Renders as a step would, with placeholder values for the user and message: the check run before
    /// a scenario that uses this template starts.
    public func check(with values: [String: Value]) throws(PayloadTemplateError) {
        let standard = Self.standardValues(business: .default, phone: "250788000000", profileName: "Check", bsuid: "RW.0",
                                           wamid: "wamid.CHECK", timestamp: 0, contextWamid: "wamid.CTX",
                                           previousWamid: "wamid.PREVIOUS")
        _ = try render(standard.merging(values) { $1 })
    }
}

extension Scenario {
    /// Every `(template name, step values)` the scenario sends.
    public var templateSteps: [(name: String, values: [String: PayloadTemplate.Value])] {
        func walk(_ steps: [Step]) -> [(String, [String: PayloadTemplate.Value])] {
            steps.flatMap { step -> [(String, [String: PayloadTemplate.Value])] in
                switch step {
                case .send(.template(let name, let values)): [(name, values)]
                case .branch(_, let a, let b): walk(a) + walk(b)
                default: []
                }
            }
        }
        return personas.flatMap { walk($0.journey) }
    }

    /// Whether any persona sends a burst (several messages back to back): not allowed in production.
    public var sendsBursts: Bool {
        func walk(_ steps: [Step]) -> Bool {
            steps.contains { step in
                switch step {
                case .send(.burst): true
                case .branch(_, let a, let b): walk(a) || walk(b)
                default: false
                }
            }
        }
        return personas.contains { walk($0.journey) }
    }
}
