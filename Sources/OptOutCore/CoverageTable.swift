/// One platform's policies by the country they cover: the policies of an account at a glance.
struct CoverageTable: Sendable {
    /// By `CountryCode.index`; empty for a platform without policies.
    let byCountry: [[Int]]

    static let noPolicies = CoverageTable(byCountry: [])

    /// Indices into the catalog's policies, in catalog order.
    subscript(country: CountryCode) -> [Int] {
        byCountry.isEmpty ? [] : byCountry[country.index]
    }
}
