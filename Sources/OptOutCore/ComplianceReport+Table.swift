extension ComplianceReport {
    /// The summaries per policy and per region, then every row, as aligned columns.
    public var table: String {
        var text = Report.table(
            header: ["POLICY", "DEADLINE", "ACCOUNTS", "DONE", "%", "PENDING ACTIONS"],
            rows: policies.map { summary in
                [
                    summary.policy.id, summary.policy.deadline.description, String(summary.accounts.covered),
                    String(summary.accounts.done), summary.accounts.percentText,
                    summary.pendingByAction.filter { $0.count > 0 }.map { "\($0.action.id): \($0.count)" }
                        .joined(separator: ", "),
                ]
            })
        text += "\n"
        text += Report.table(
            header: ["REGION", "ACCOUNTS", "DONE", "%"],
            rows: regions.map { summary in
                [
                    summary.region.description, String(summary.accounts.covered), String(summary.accounts.done),
                    summary.accounts.percentText,
                ]
            })
        text += "\n"
        text += Report.table(header: Self.csvColumns.map { $0.uppercased() }, rows: rows.map(\.fields))
        return text
    }
}
