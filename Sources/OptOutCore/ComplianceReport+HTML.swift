extension ComplianceReport {
    /// The report as one HTML page that needs nothing else: its style and charts are inline,
    /// it runs no script and names no other resource, so it opens offline and prints as shown.
    /// Every value from the configuration or the store is escaped.
    public func html(zone: Zone, title: String = "Opt-out compliance report") -> TextBuffer {
        var page = TextBuffer()
        let when = zone.rfc3339(at)
        // A narrowed report says so where a reader looks first, and in its file's title.
        let parts = [policyFilter.map { "policy \($0)" }, regionFilter.map { "region \($0)" }].compactMap { $0 }
            .joined(separator: ", ")
        let scope = parts.isEmpty ? "" : " (only \(parts))"
        page.append(
            """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTMLText.escaped(title + scope)) \(when)</title>
            <style>\(Self.style)</style></head><body>
            <header><h1>\(HTMLText.escaped(title + scope))</h1>
            <p>As of <time>\(when)</time>: \(accountCount) account\(accountCount == 1 ? "" : "s"), \
            \(accountsToAct) of them with steps to take; \(rowCounts.all) actions, \(rowCounts.done) done.</p></header>

            """)
        page.append("<section class=\"charts\"><h2>Done and pending</h2>\n<figure>")
        page.append(
            ComplianceCharts.doneVersusPending(
                title: "Accounts fully done per policy", bars: policies.map { ($0.policy.id, $0.accounts) }))
        page.append("<figcaption>Accounts fully done per policy</figcaption></figure>\n<figure>")
        page.append(
            ComplianceCharts.doneVersusPending(
                title: "Accounts fully done per region", bars: regions.map { ($0.region.description, $0.accounts) }))
        page.append("<figcaption>Accounts fully done per region</figcaption></figure>\n<figure>")
        page.append(ComplianceCharts.shareOverTime(policies, zone: zone))
        page.append("<figcaption>Share of accounts fully done, week by week</figcaption></figure>\n")
        appendHistoryTable(to: &page, zone: zone)
        page.append("</section>\n")
        appendSummaryTables(to: &page)
        appendRows(to: &page)
        page.append("</body></html>\n")
        return page
    }

    /// The history chart's figures as a table, for those who cannot see the chart and for
    /// reading off a value: a row per week sampled, a column per policy.
    private func appendHistoryTable(to page: inout TextBuffer, zone: Zone) {
        let weeks = Set(policies.flatMap { $0.weeks.map(\.at) }).sorted()
        guard !weeks.isEmpty else { return }
        page.append(
            "<details><summary>The same, as a table</summary><div class=\"table\"><table><thead><tr><th scope=\"col\">Week of</th>"
        )
        for summary in policies {
            page.append("<th scope=\"col\" class=\"n\">\(HTMLText.escaped(summary.policy.id))</th>")
        }
        page.append("</tr></thead><tbody>\n")
        let shares = policies.map { Dictionary($0.weeks.map { ($0.at, $0.done.percentText) }) { first, _ in first } }
        for week in weeks {
            page.append("<tr><td class=\"date\">\(zone.localDate(of: week))</td>")
            for share in shares { page.append("<td class=\"n\">\(share[week] ?? "")</td>") }
            page.append("</tr>\n")
        }
        page.append("</tbody></table></div></details>\n")
    }

    private func appendSummaryTables(to page: inout TextBuffer) {
        page.append(
            "<section><h2>Per policy</h2><div class=\"table\"><table><thead><tr><th scope=\"col\">Policy</th><th scope=\"col\">Title</th><th scope=\"col\">Deadline</th>"
                + "<th scope=\"col\" class=\"n\">Accounts</th><th scope=\"col\" class=\"n\">Done</th><th scope=\"col\" class=\"n\">%</th><th scope=\"col\">Pending actions</th>"
                + "</tr></thead><tbody>\n")
        for summary in policies {
            let pending = summary.pendingByAction.filter { $0.count > 0 }.map { "\($0.action.id): \($0.count)" }
            page.append(
                "<tr><td>\(HTMLText.escaped(summary.policy.id))</td><td>\(HTMLText.escaped(summary.policy.title))</td>"
                    + "<td class=\"date\">\(summary.policy.deadline)</td>" + Self.cells(summary.accounts)
                    + "<td>\(HTMLText.escaped(pending.joined(separator: ", ")))</td></tr>\n")
        }
        page.append(
            "</tbody></table></div></section>\n<section><h2>Per region</h2><div class=\"table\"><table><thead><tr><th scope=\"col\">Region</th>"
                + "<th scope=\"col\" class=\"n\">Accounts</th><th scope=\"col\" class=\"n\">Done</th><th scope=\"col\" class=\"n\">%</th></tr></thead><tbody>\n"
        )
        for summary in regions {
            page.append("<tr><td>\(summary.region)</td>" + Self.cells(summary.accounts) + "</tr>\n")
        }
        page.append("</tbody></table></div></section>\n")
    }

    private func appendRows(to page: inout TextBuffer) {
        page.append("<section class=\"rows\"><h2>Every action</h2><div class=\"table\"><table><thead><tr>")
        // The CSV's columns, as a reader names them: "done_at" is "Done at".
        for column in Self.csvColumns {
            let words = column.replacingOccurrences(of: "_", with: " ")
            page.append("<th scope=\"col\">\(words.prefix(1).uppercased() + words.dropFirst())</th>")
        }
        page.append("</tr></thead><tbody>\n")
        // Cells and rows are not closed: HTML ends them at the next one, and a page of
        // every action of every account is smaller and quicker to write without.
        forEachRow { row in
            page.append(row.isDone ? "<tr class=\"done\">" : "<tr class=\"pending\">")
            var first = true
            row.forEachField { field in
                page.append("<td>")
                HTMLText.append(field, to: &page)
                // The account's name, where it has one, beside its id.
                if first, let name = row.account.name {
                    page.append("<br><small>")
                    HTMLText.append(name, to: &page)
                    page.append("</small>")
                }
                first = false
            }
            page.append("\n")
        }
        page.append("</tbody></table></div></section>\n")
    }

    private static func cells(_ tally: Tally) -> String {
        "<td class=\"n\">\(tally.covered)</td><td class=\"n\">\(tally.done)</td><td class=\"n\">\(tally.percentText)</td>"
    }

    /// Screen and print: charts side by side on screen, one per line on paper, rows never
    /// split across pages, table headers repeated on each page; on a phone, a wide table
    /// scrolls in its own box rather than widening the page.
    private static let style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#1b1b1b;background:#fff}
        h1{font-size:1.6em;margin:0 0 .2em}h2{font-size:1.2em;margin:1.5em 0 .5em}
        .charts{display:flex;flex-wrap:wrap;gap:1em}.charts h2{width:100%}
        figure{margin:0}figcaption{font-size:.9em;color:#555}
        svg.chart{max-width:100%;height:auto;font-size:12px}
        svg .done{fill:#2e7d32}svg .pending{fill:#e0a100}svg .grid{stroke:#ddd}
        svg polyline{fill:none;stroke-width:2.5}svg line[class^=series]{stroke-width:2.5}
        .series0{stroke:#1565c0}.series1{stroke:#c62828}.series2{stroke:#6a1b9a}
        .series3{stroke:#00838f}.series4{stroke:#ef6c00}.series5{stroke:#4e342e}
        .dash1{stroke-dasharray:9 4}.dash2{stroke-dasharray:2 3}
        table{border-collapse:collapse;width:100%;font-size:.9em}.rows table{font-size:.8em}
        th,td{border:1px solid #ccc;padding:.2em .4em;text-align:left;vertical-align:top;overflow-wrap:break-word}
        th{background:#f0f0f0}.n{text-align:right}tr.pending td:nth-child(6){color:#8a5a00;font-weight:600}
        .table{overflow-x:auto}.rows td:nth-child(7),.rows td:nth-child(10),.date{white-space:nowrap}
        .rows td:nth-child(9){min-width:10em}
        .rows td:nth-child(11){text-align:right}details{margin:.5em 0;width:100%}summary{cursor:pointer}
        @media (max-width:40em){body{margin:1em}}
        @media print{body{margin:0;font-size:10pt}.charts{display:block}.table{overflow:visible}figure{break-inside:avoid;margin-bottom:1em}
        thead{display:table-header-group}tr{break-inside:avoid}th{background:#eee;-webkit-print-color-adjust:exact;
        print-color-adjust:exact}svg .done,svg .pending{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
        """
}
