/// The marketplace data behind the stand-in upstreams: vendors, drivers, restaurants, jobs, properties
/// and insurance covers near Kigali, shaped like EasyMO's Supabase rows. The stand-in database and
/// ranking service serve it over HTTP (and fail on demand); the reference bot reads it through them.
public struct Listing: Sendable, Hashable {
    public var id: String
    /// ≤ 24 characters (WhatsApp list row title).
    public var title: String
    /// ≤ 72 characters (list row description).
    public var detail: String
    public var priceRWF: Int
    public var tags: [String]

    /// The vendor's WhatsApp number, for order notifications (see `VendorNumbers`). Stable per listing.
    public var vendorPhone: String {
        let h = SeededRandom.digest(id.utf8)
        let digits = String(h % 100_000_000)
        return "2547" + String(repeating: "0", count: 8 - digits.count) + digits
    }


    public init(id: String, title: String, detail: String, priceRWF: Int, tags: [String]) {
        self.id = id
        self.title = title
        self.detail = detail
        self.priceRWF = priceRWF
        self.tags = tags
    }
}

/// The categories of listings (EasyMO's agent domains that sell or offer something).
public enum ListingCategory: String, Sendable, CaseIterable {
    case rides, farmer, waiter, jobs, realEstate = "real_estate", insurance, buySell = "buy_sell"
}

public struct Catalogue: Sendable {
    private let listings: [ListingCategory: [Listing]]
    /// Each listing's tags, folded once (a search runs for every turn that looks something up).
    private let foldedTags: [ListingCategory: [[FoldedText]]]

    public init() {
        func l(_ id: String, _ title: String, _ detail: String, _ price: Int, _ tags: [String]) -> Listing {
            Listing(id: id, title: title, detail: detail, priceRWF: price, tags: tags)
        }
        listings = [
            .farmer: [
                l("v_kimironko_fresh", "Kimironko Fresh", "Tomatoes, onions, greens · 0.8 km", 1_500, ["vegetable", "tomato", "onion"]),
                l("v_mama_aline", "Mama Aline Veg Stall", "Leafy greens, carrots · 1.1 km", 1_200, ["vegetable", "carrot"]),
                l("v_nyabugogo_maize", "Nyabugogo Maize Co-op", "Maize, beans · 2.4 km", 900, ["maize", "beans"]),
                l("v_remera_roots", "Remera Roots", "Potatoes, cassava · 1.9 km", 1_000, ["potato", "cassava"]),
                l("v_gikondo_garden", "Gikondo Garden", "Mixed vegetables · 3.0 km", 1_400, ["vegetable"]),
            ],
            .buySell: [
                l("p_laptop_hp", "HP EliteBook 840", "Used, 16 GB · Kacyiru", 450_000, ["laptop", "computer"]),
                l("p_sofa", "3-seat sofa", "Grey fabric · Kicukiro", 180_000, ["furniture", "sofa"]),
                l("p_phone_tecno", "Tecno Camon 20", "New, boxed · Nyarugenge", 210_000, ["phone"]),
                l("p_fridge", "Hisense fridge 200 L", "1 year old · Gisozi", 260_000, ["fridge"]),
            ],
            .waiter: [
                l("r_heaven", "Heaven Restaurant", "Rwandan & grill · 20 min", 8_000, ["restaurant", "grill"]),
                l("r_repub", "Repub Lounge", "Brochettes · 15 min", 6_500, ["brochette", "bar"]),
                l("r_meze", "Meze Fresh", "Burritos · 25 min", 7_000, ["mexican"]),
                l("r_khana", "Khana Khazana", "Indian · 30 min", 9_000, ["indian"]),
            ],
            .jobs: [
                l("j_driver_moto", "Moto driver", "Full time · 150k RWF/month", 150_000, ["driver"]),
                l("j_dev_junior", "Junior developer", "Kigali Heights · 600k RWF", 600_000, ["developer"]),
                l("j_cashier", "Cashier", "Simba Supermarket · 200k RWF", 200_000, ["cashier"]),
                l("j_farmhand", "Farm assistant", "Bugesera · 120k RWF", 120_000, ["farm"]),
            ],
            .realEstate: [
                l("h_kimironko_2br", "2BR apartment", "Kimironko · 350k RWF/month", 350_000, ["apartment", "2"]),
                l("h_kicukiro_house", "3BR house", "Kicukiro · 500k RWF/month", 500_000, ["house"]),
                l("h_remera_studio", "Studio", "Remera · 180k RWF/month", 180_000, ["studio", "room"]),
                l("h_gacuriro_4br", "4BR villa", "Gacuriro · 1.2M RWF/month", 1_200_000, ["villa", "house"]),
            ],
            .rides: [
                l("d_eric_moto", "Eric · moto", "RAB 123C · 2 min away · 4.9★", 1_000, ["moto"]),
                l("d_aline_car", "Aline · car", "RAD 456B · 4 min away · 4.8★", 3_500, ["car", "taxi"]),
                l("d_jean_moto", "Jean · moto", "RAC 789D · 5 min away · 4.7★", 1_000, ["moto"]),
                l("d_theo_car", "Théo · car", "RAE 012F · 6 min away · 4.9★", 4_000, ["car", "taxi"]),
                l("d_kevin_moto", "Kevin · moto", "RAF 345G · 7 min away · 4.6★", 900, ["moto"]),
            ],
            .insurance: [
                l("i_third_party", "Third party", "Legal minimum · from 45k RWF/yr", 45_000, ["motor"]),
                l("i_comprehensive", "Comprehensive", "Full cover · from 180k RWF/yr", 180_000, ["motor"]),
            ],
        ]
        foldedTags = listings.mapValues { $0.map { $0.tags.map(FoldedText.init) } }
    }

    /// Every listing, category by category.
    public var all: [Listing] { ListingCategory.allCases.flatMap { listings[$0] ?? [] } }

    /// Listings of `category`, those with a tag that `query` holds first.
    public func search(_ category: ListingCategory, query: String) -> [Listing] {
        let words = FoldedText(query)
        var matching: [Listing] = [], rest: [Listing] = []
        for (listing, tags) in zip(listings[category] ?? [], foldedTags[category] ?? []) {
            if tags.contains(where: words.contains) { matching.append(listing) } else { rest.append(listing) }
        }
        return matching + rest
    }

    /// The listing with `id`, in any category.
    public func listing(id: String) -> (ListingCategory, Listing)? {
        for (agent, items) in listings { if let l = items.first(where: { $0.id == id }) { return (agent, l) } }
        return nil
    }
}
