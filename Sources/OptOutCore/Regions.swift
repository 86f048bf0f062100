/// An ISO 3166-1 alpha-2 country code, such as `DE`.
public struct CountryCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// 0..<676: (first letter) × 26 + (second letter).
    let index: Int

    /// How many indices there are, assigned codes or not.
    static let indexCount = 26 * 26

    init(index: Int) { self.index = index }

    /// Every officially assigned ISO 3166-1 alpha-2 code (249), in order.
    public static let all: [CountryCode] = assignedCodes.split(separator: " ").map { CountryCode(letters: $0)! }

    /// `nil` unless `letters` is two upper-case ASCII letters (assigned or not).
    public init?(letters: some StringProtocol) {
        var bytes = letters.utf8.makeIterator()
        guard let first = bytes.next(), let second = bytes.next(), bytes.next() == nil,
            (65...90).contains(first), (65...90).contains(second)
        else { return nil }
        self.init(index: Int(first - 65) * 26 + Int(second - 65))
    }

    public var description: String {
        String(decoding: [UInt8(65 + index / 26), UInt8(65 + index % 26)], as: UTF8.self)
    }

    public static func < (lhs: CountryCode, rhs: CountryCode) -> Bool { lhs.index < rhs.index }

    private static let assignedCodes = """
        AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV \
        BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES \
        ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE \
        IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY \
        MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU \
        NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM \
        SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE \
        VG VI VN VU WF WS YE YT ZA ZM ZW
        """
}

/// A set of countries, stored as a 676-bit set so that membership costs one shift and mask.
public struct RegionSet: Hashable, Sendable {
    private var words = [UInt64](repeating: 0, count: 11)

    public init() {}

    public init(_ countries: some Sequence<CountryCode>) {
        for country in countries { insert(country) }
    }

    public func contains(_ country: CountryCode) -> Bool {
        words[country.index >> 6] & (1 << UInt64(country.index & 63)) != 0
    }

    public mutating func insert(_ country: CountryCode) {
        words[country.index >> 6] |= 1 << UInt64(country.index & 63)
    }

    public func union(_ other: RegionSet) -> RegionSet {
        var result = self
        for i in words.indices { result.words[i] |= other.words[i] }
        return result
    }

    public func subtracting(_ other: RegionSet) -> RegionSet {
        var result = self
        for i in words.indices { result.words[i] &= ~other.words[i] }
        return result
    }

    /// The members, in code order.
    public var countries: [CountryCode] { CountryCode.all.filter(contains) }

    public var isEmpty: Bool { words.allSatisfy { $0 == 0 } }
}

/// What a region name in a config or catalog file resolves to.
public enum RegionName: Sendable, Equatable {
    /// A single country; `alias` is the name written when it was not the canonical code (UK, EL).
    case country(CountryCode, alias: String?)
    /// A group: `EU`, `EEA` or `*`.
    case group(String, RegionSet)

    /// The 27 member states of the European Union.
    public static let europeanUnion = RegionSet(
        codes: "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE")
    /// The European Economic Area: the EU plus Iceland, Liechtenstein and Norway.
    public static let europeanEconomicArea = europeanUnion.union(RegionSet(codes: "IS LI NO"))
    /// Every assigned country.
    public static let everyCountry = RegionSet(CountryCode.all)

    /// Names that people write for a country whose ISO code differs.
    static let aliases = ["UK": "GB", "EL": "GR"]

    /// Resolves a name (case-sensitive, as ISO writes codes); `nil` when it is not a known region.
    public init?(_ name: String) {
        switch name {
        case "EU": self = .group(name, RegionName.europeanUnion)
        case "EEA": self = .group(name, RegionName.europeanEconomicArea)
        case "*": self = .group(name, RegionName.everyCountry)
        default:
            if let code = CountryCode(letters: name), RegionName.everyCountry.contains(code) {
                self = .country(code, alias: nil)
            } else if let canonical = RegionName.aliases[name], let code = CountryCode(letters: canonical) {
                self = .country(code, alias: name)
            } else {
                return nil
            }
        }
    }

    /// The countries this name stands for.
    public var countries: RegionSet {
        switch self {
        case .country(let code, _): RegionSet([code])
        case .group(_, let set): set
        }
    }
}

extension RegionSet {
    fileprivate init(codes: String) {
        self.init(codes.split(separator: " ").map { CountryCode(letters: $0)! })
    }
}
