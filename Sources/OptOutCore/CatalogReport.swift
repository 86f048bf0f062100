/// The catalog for people (tables) and programs (JSON).
extension Report {
    /// One row per action, with where to click and the link; a policy's own cells are on its
    /// first row only. A policy without actions gets one row that says so.
    public static func catalogTable(_ policies: [Policy]) -> String {
        var rows: [[String]] = []
        for policy in policies {
            let regions =
                policy.regions.joined(separator: ",")
                + (policy.except.isEmpty ? "" : " except " + policy.except.joined(separator: ","))
            let cells = [
                policy.id, policy.platform, policy.effective.description, policy.deadline.description, regions,
            ]
            guard !policy.actions.isEmpty else {
                rows.append(cells + ["-", "nothing to opt out of (informs only)", ""])
                continue
            }
            for (number, action) in policy.actions.enumerated() {
                let lead = number == 0 ? cells : Array(repeating: "", count: cells.count)
                rows.append(lead + [action.id, action.location, action.url ?? ""])
            }
        }
        return table(
            header: ["POLICY", "PLATFORM", "EFFECTIVE", "DEADLINE", "REGIONS", "ACTION", "WHERE", "LINK"], rows: rows)
    }

    /// The policies as one JSON array, with the keys of the catalog schema (and `countries`:
    /// the country codes the regions come to).
    public static func catalogJSON(_ policies: [Policy]) -> String {
        var json = JSONWriter()
        json.beginArray()
        for policy in policies {
            json.beginObject()
            json.key("id"); json.string(policy.id)
            json.key("platform"); json.string(policy.platform)
            json.key("title"); json.string(policy.title)
            json.key("summary"); json.string(policy.summary)
            json.key("effective"); json.string(policy.effective.description)
            json.key("deadline"); json.string(policy.deadline.description)
            json.key("regions"); json.strings(policy.regions)
            json.key("except"); json.strings(policy.except)
            json.key("countries"); json.strings(policy.coverage.countries.map(\.description))
            json.key("data_used"); json.strings(policy.dataUsed)
            json.key("data_not_used"); json.strings(policy.dataNotUsed)
            json.key("shared_with"); json.strings(policy.sharedWith)
            json.key("actions")
            json.beginArray()
            for action in policy.actions {
                json.beginObject()
                json.key("id"); json.string(action.id)
                json.key("title"); json.string(action.title)
                json.key("where"); json.string(action.location)
                json.key("url"); json.string(action.url)
                json.endObject()
            }
            json.endArray()
            json.key("sources")
            json.beginArray()
            for source in policy.sources {
                json.beginObject()
                json.key("url"); json.string(source.url)
                if let title = source.title { json.key("title"); json.string(title) }
                json.key("supports"); json.string(source.supports)
                json.endObject()
            }
            json.endArray()
            json.endObject()
        }
        json.endArray()
        return json.buffer.text + "\n"
    }

    /// The platforms the catalog knows, by id, with how many policies each has and the span
    /// of their effective dates.
    public static func platformsTable(_ catalog: Catalog) -> String {
        table(
            header: ["PLATFORM", "POLICIES", "EFFECTIVE"],
            rows: catalog.platforms.sorted().map { platform in
                let policies = catalog.policyIndices(platform: platform).map { catalog.policies[$0] }
                let dates = policies.map(\.effective)
                let span = dates.min() == dates.max() ? "\(dates.min()!)" : "\(dates.min()!) to \(dates.max()!)"
                return [platform, String(policies.count), span]
            })
    }

    /// The platforms as a JSON array of `{"platform": …, "policies": [ids]}`.
    public static func platformsJSON(_ catalog: Catalog) -> String {
        var json = JSONWriter()
        json.beginArray()
        for platform in catalog.platforms.sorted() {
            json.beginObject()
            json.key("platform"); json.string(platform)
            json.key("policies");
            json.strings(catalog.policyIndices(platform: platform).map { catalog.policies[$0].id })
            json.endObject()
        }
        json.endArray()
        return json.buffer.text + "\n"
    }
}
