import ArgumentParser
import OptOutCore
import OptOutDaemon

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Per account and policy: actions done and pending, last notification sent, next one due."
    )

    @OptionGroup var options: ConfigOptions
    @OptionGroup var state: StateOptions

    @Option(help: "table or json.")
    var format: ListFormat = .table

    /// How far back deliveries that were given up are shown: long enough to be noticed.
    static let givenUpWindowDays = 7

    func run() throws {
        let now = currentInstant()
        let configuration = try options.load(now: now)
        var histories: [PairKey: PairHistory] = [:]
        var acknowledged: [String: Set<String>] = [:]
        var lastSent: [PairKey: PairRecord] = [:]
        var waiting: [(target: String, count: Int, lastError: String?)] = []
        var givenUp: [(target: String, count: Int, lastError: String?)] = []
        if state.exists {
            let store = try state.open(.readOnly)
            histories = try store.histories()
            acknowledged = try store.acknowledgedActions()
            lastSent = try store.lastDelivered()
            waiting = try store.waitingSummary()
            givenUp = try store.givenUpSummary(since: now.adding(seconds: -Self.givenUpWindowDays * 86_400))
        }
        var scheduler = Scheduler(configuration: configuration, histories: histories, acknowledged: acknowledged)
        let rows = scheduler.pairKeys.map { key -> StatusRow in
            let account = scheduler.account(key.account)!
            let next: String
            if histories[key] == nil {
                next = (scheduler.pendingActions(key) ?? []).isEmpty ? "" : "now (policy-applies)"
            } else if let upcoming = scheduler.nextNotice(key) {
                next = account.zone.rfc3339(upcoming.at) + " (\(upcoming.event.rawValue))"
            } else {
                next = ""
            }
            return StatusRow(
                account: key.account, policy: key.policy, done: (scheduler.doneActions(key) ?? []).map(\.id),
                pending: (scheduler.pendingActions(key) ?? []).map(\.id),
                lastSent: lastSent[key].map { account.zone.rfc3339($0.lastSentAt) + " (\($0.lastEvent.rawValue))" },
                next: next.isEmpty ? nil : next)
        }
        switch format {
        case .json:
            var json = JSONWriter()
            json.beginArray()
            for row in rows {
                json.beginObject()
                json.key("account"); json.string(row.account)
                json.key("policy"); json.string(row.policy)
                json.key("done"); json.strings(row.done)
                json.key("pending"); json.strings(row.pending)
                json.key("last_sent"); json.string(row.lastSent)
                json.key("next_at"); json.string(row.next)
                json.endObject()
            }
            json.endArray()
            print(json.buffer.text)
        default:
            print(
                Report.table(
                    header: ["ACCOUNT", "POLICY", "DONE", "PENDING", "LAST SENT", "NEXT"],
                    rows: rows.map { row in
                        [
                            row.account, row.policy, row.done.joined(separator: ","),
                            row.pending.joined(separator: ","),
                            row.lastSent ?? "-", row.next ?? "-",
                        ]
                    }), terminator: "")
            if let daemon = StoreLock.holder(ofStore: state.path) {
                print("daemon: running as process \(daemon.pid): \(daemon.status)")
            }
            for entry in waiting {
                print(
                    "outbox: \(entry.count) waiting for \(entry.target)\(entry.lastError.map { " (last error: \($0))" } ?? "")"
                )
            }
            for entry in givenUp {
                print(
                    "outbox: \(entry.count) given up for \(entry.target) in the last \(Self.givenUpWindowDays) days\(entry.lastError.map { " (last error: \($0))" } ?? "")"
                )
            }
        }
    }
}

private struct StatusRow {
    var account: String
    var policy: String
    var done: [String]
    var pending: [String]
    var lastSent: String?
    var next: String?
}
