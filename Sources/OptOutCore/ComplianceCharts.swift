/// The report's charts as inline SVG: plain shapes and text, sized by `viewBox` so they
/// scale with the page and print sharp.
enum ComplianceCharts {
    /// A bar per group, its done part and pending part side by side on one line.
    static func doneVersusPending(title: String, bars: [(label: String, tally: ComplianceReport.Tally)]) -> String {
        let labelWidth = 250
        let barWidth = 360
        let rowHeight = 26
        let height = 30 + max(1, bars.count) * rowHeight + 24
        var svg = """
            <svg class="chart" role="img" width="\(labelWidth + barWidth + 80)" height="\(height)" \
            viewBox="0 0 \(labelWidth + barWidth + 80) \(height)"><title>\(HTMLText.escaped(title))</title>
            """
        for (index, bar) in bars.enumerated() {
            let y = 30 + index * rowHeight
            let total = max(1, bar.tally.covered)
            let doneWidth = barWidth * bar.tally.done / total
            svg += """
                <text x="\(labelWidth - 8)" y="\(y + 15)" text-anchor="end">\(HTMLText.escaped(bar.label))</text>\
                <rect class="done" x="\(labelWidth)" y="\(y)" width="\(doneWidth)" height="18"/>\
                <rect class="pending" x="\(labelWidth + doneWidth)" y="\(y)" width="\(barWidth - doneWidth)" height="18"/>\
                <text x="\(labelWidth + barWidth + 6)" y="\(y + 15)">\(bar.tally.done)/\(bar.tally.covered)</text>
                """
        }
        if bars.isEmpty {
            svg += "<text x=\"\(labelWidth)\" y=\"45\">nothing applies</text>"
        }
        let legendY = height - 8
        svg += """
            <rect class="done" x="\(labelWidth)" y="\(legendY - 10)" width="12" height="12"/>\
            <text x="\(labelWidth + 16)" y="\(legendY)">done</text>\
            <rect class="pending" x="\(labelWidth + 70)" y="\(legendY - 10)" width="12" height="12"/>\
            <text x="\(labelWidth + 86)" y="\(legendY)">pending</text></svg>
            """
        return svg
    }

    /// One line per policy: the share of its accounts done, week by week, on a common time axis.
    static func shareOverTime(_ policies: [ComplianceReport.PolicySummary], zone: Zone) -> String {
        let left = 50
        let top = 20
        let width = 560
        let height = 200
        let legendHeight = 20 * policies.count
        let instants = policies.flatMap { $0.weeks.map(\.at.secondsSince1970) }
        guard !instants.isEmpty else {
            return """
                <svg class="chart" role="img" width="\(left + width + 20)" height="60" viewBox="0 0 \(left + width + 20) 60">\
                <title>Share of accounts done over time</title><text x="\(left)" y="35">nothing applies</text></svg>
                """
        }
        let first = instants.min() ?? 0
        let last = max(instants.max() ?? 1, first + 1)
        func x(_ instant: Instant) -> Int { left + (instant.secondsSince1970 - first) * width / (last - first) }
        func y(_ tally: ComplianceReport.Tally) -> Int { top + height - Int(tally.percent * Double(height) / 100) }
        var svg = """
            <svg class="chart" role="img" width="\(left + width + 20)" height="\(top + height + 40 + legendHeight)" \
            viewBox="0 0 \(left + width + 20) \(top + height + 40 + legendHeight)"><title>Share of accounts done over time</title>
            """
        for percent in stride(from: 0, through: 100, by: 25) {
            let lineY = top + height - percent * height / 100
            svg += """
                <line class="grid" x1="\(left)" y1="\(lineY)" x2="\(left + width)" y2="\(lineY)"/>\
                <text x="\(left - 6)" y="\(lineY + 4)" text-anchor="end">\(percent)%</text>
                """
        }
        let firstDate = zone.localDate(of: Instant(secondsSince1970: first)).description
        let lastDate = zone.localDate(of: Instant(secondsSince1970: last)).description
        svg += """
            <text x="\(left)" y="\(top + height + 18)">\(firstDate)</text>\
            <text x="\(left + width)" y="\(top + height + 18)" text-anchor="end">\(lastDate)</text>
            """
        for (index, summary) in policies.enumerated() {
            // Steps: a share holds from one sample until the next shows it changed.
            var points: [String] = []
            for (number, week) in summary.weeks.enumerated() {
                if number > 0 { points.append("\(x(week.at)),\(y(summary.weeks[number - 1].done))") }
                points.append("\(x(week.at)),\(y(week.done))")
            }
            let series = Self.seriesClass(index)
            // Policies with the same shares draw one line over the other: the legend and each
            // line's tooltip name the latest share, so that a hidden line is still read.
            let latest = summary.weeks.last.map { ": \($0.done.percentText)% done" } ?? ""
            let label = HTMLText.escaped(summary.policy.id + latest)
            svg += """
                <polyline class="\(series)" points="\(points.joined(separator: " "))"><title>\(label)</title></polyline>
                """
            let legendY = top + height + 40 + index * 20
            svg += """
                <line class="\(series)" x1="\(left)" y1="\(legendY - 4)" x2="\(left + 24)" y2="\(legendY - 4)"/>\
                <text x="\(left + 30)" y="\(legendY)">\(label)</text>
                """
        }
        return svg + "</svg>"
    }

    /// The style of the line of policy `index`: six colours, then the same six dashed, then
    /// dotted, so that the lines of a catalog's policies (and their legend) stay apart.
    static func seriesClass(_ index: Int) -> String {
        let pattern = index / 6 % 3
        return "series\(index % 6)" + (pattern == 0 ? "" : " dash\(pattern)")
    }
}
