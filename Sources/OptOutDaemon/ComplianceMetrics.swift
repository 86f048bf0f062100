import OptOutCore
import Prometheus

/// The report and the store's counts as Prometheus metric families, in the text format that
/// node exporter's textfile collector and a `/metrics` endpoint serve.
public enum ComplianceMetrics {
    public static func exposition(
        of report: ComplianceReport, counts: StoreCounts, channels: ChannelSettings
    ) -> [UInt8] {
        let registry = PrometheusCollectorRegistry()
        registry.makeGauge(descriptor: accounts).set(Int64(report.accountCount))
        for summary in report.policies {
            let policy = summary.policy.id
            registry.makeGauge(descriptor: pairs, labels: [("policy", policy), ("state", "pending")])
                .set(Int64(summary.accounts.pending))
            registry.makeGauge(descriptor: pairs, labels: [("policy", policy), ("state", "done")])
                .set(Int64(summary.accounts.done))
            for (action, count) in summary.pendingByAction {
                registry.makeGauge(descriptor: actionsPending, labels: [("policy", policy), ("action", action.id)])
                    .set(Int64(count))
            }
        }
        for event in EventKind.allCases {
            registry.makeCounter(descriptor: notices, labels: [("event", event.rawValue)])
                .increment(by: Int64(counts.noticesByEvent[event.rawValue] ?? 0))
        }
        // Every configured channel has a value, 0 included, so that an alert on it never sees
        // a series vanish; so do channels the store still names but the configuration dropped.
        var names = Set([ChannelSettings.journal] + (channels.email == nil ? [] : ["email"]))
        names.formUnion(channels.hooks.map(\.name))
        names.formUnion(channels.webhooks.map(\.name))
        names.formUnion(counts.waitingByChannel.keys)
        names.formUnion(counts.givenUpByChannel.keys)
        for channel in names.sorted() {
            registry.makeGauge(descriptor: outboxWaiting, labels: [("channel", channel)])
                .set(Int64(counts.waitingByChannel[channel] ?? 0))
            registry.makeCounter(descriptor: givenUp, labels: [("channel", channel)])
                .increment(by: Int64(counts.givenUpByChannel[channel] ?? 0))
        }
        registry.makeGauge(descriptor: lastRound).set(Int64(counts.lastNoticeIssuedAt?.secondsSince1970 ?? 0))
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return inStableOrder(buffer)
    }

    /// The registry emits families and their series in hash order, which changes from run
    /// to run: sorted by name and labels, a textfile collector's file (and a diff of two)
    /// changes only where a figure does.
    static func inStableOrder(_ exposition: [UInt8]) -> [UInt8] {
        var families: [(head: [Substring], samples: [Substring])] = []
        for line in String(decoding: exposition, as: UTF8.self).split(separator: "\n") {
            if line.hasPrefix("# HELP ") || families.isEmpty {
                families.append(([line], []))
            } else if line.hasPrefix("#") {
                families[families.count - 1].head.append(line)
            } else {
                families[families.count - 1].samples.append(line)
            }
        }
        let lines = families.sorted { $0.head[0] < $1.head[0] }.flatMap { $0.head + $0.samples.sorted() }
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    private static func family(_ name: String, unit: String = "", _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "optoutd", metricName: name, unitName: unit, helpText: help)
    }

    private static var accounts: MetricNameDescriptor { family("accounts", "Accounts in the report.") }
    private static var pairs: MetricNameDescriptor {
        family(
            "pairs",
            "Accounts a policy applies to, by whether every action of it is done (state done) or not (pending).")
    }
    private static var actionsPending: MetricNameDescriptor {
        family("actions_pending", "Accounts with an action of a policy still to do.")
    }
    private static var notices: MetricNameDescriptor { family("notices", unit: "total", "Notices issued, by event.") }
    private static var outboxWaiting: MetricNameDescriptor {
        family("outbox_waiting", "Deliveries waiting in the outbox, by channel.")
    }
    private static var givenUp: MetricNameDescriptor {
        family(
            "deliveries_given_up", unit: "total",
            "Deliveries given up, by channel: refused for good, or still failing after give_up_after.")
    }
    private static var lastRound: MetricNameDescriptor {
        family(
            "last_round", unit: "timestamp_seconds",
            "When the latest notice was issued (Unix time); 0 before the first.")
    }
}
