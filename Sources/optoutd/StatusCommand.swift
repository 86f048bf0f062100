import ArgumentParser
import OptOutConfig
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
        var standing: [String: [String: Acknowledgement]] = [:]
        var lastSent: [PairKey: PairRecord] = [:]
        var waiting: [(target: String, count: Int, lastError: String?)] = []
        var givenUp: [(target: String, count: Int, lastError: String?)] = []
        if try state.exists {
            let store = try state.open(.readOnly)
            histories = try store.histories()
            standing = try store.standingAcknowledgements(in: configuration)
            acknowledged = standing.mapValues { Set($0.keys) }
            lastSent = try store.lastDelivered()
            waiting = try store.waitingSummary()
            givenUp = try store.givenUpSummary(since: now.adding(seconds: -Self.givenUpWindowDays * 86_400))
        } else {
            state.warnThatThereIsNoStore("status shows what the configuration alone says")
        }
        let scheduler = Scheduler(
            configuration: configuration, histories: histories, acknowledged: acknowledged, parallel: ThreadedMap())
        let rows = scheduler.pairKeys.map { key -> StatusRow in
            let account = scheduler.account(key.account)!
            // As the daemon sends it: what is due at once (a first sighting, a missed notice,
            // opted-out) now, or when reminders.hours begin.
            let next =
                scheduler.nextEvent(key, from: now).map { account.zone.rfc3339($0.at) + " (\($0.event.rawValue))" }
                ?? ""
            let done = (scheduler.doneActions(key) ?? []).map(\.id)
            // When, how and why each was done: its record, or the configuration's `done:`.
            let acks = done.map { action in
                standing[key.account]?[action].map {
                    StatusAck(action: action, at: account.zone.rfc3339($0.at), source: $0.source, note: $0.note)
                } ?? StatusAck(action: action, at: nil, source: "config", note: nil)
            }
            return StatusRow(
                account: key.account, policy: key.policy, done: done, acks: acks,
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
                json.key("acks")
                json.beginArray()
                for ack in row.acks {
                    json.beginObject()
                    json.key("action"); json.string(ack.action)
                    json.key("at"); json.string(ack.at)
                    json.key("source"); json.string(ack.source)
                    json.key("note"); json.string(ack.note)
                    json.endObject()
                }
                json.endArray()
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
                            row.account, row.policy, row.acks.map(\.shown).joined(separator: ", "),
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
    var acks: [StatusAck]
    var pending: [String]
    var lastSent: String?
    var next: String?
}

/// When, how and why an action was recorded as done.
private struct StatusAck {
    var action: String
    /// `nil` for an action the configuration marks as done.
    var at: String?
    var source: String
    var note: String?

    /// As the table shows it: `action (2026-12-01, cli:alice: note)`.
    var shown: String {
        let when = at.map { String($0.prefix(10)) + ", " } ?? ""
        let shownNote = note.map { ": " + TerminalText.oneLine($0) } ?? ""
        return "\(action) (\(when)\(TerminalText.oneLine(source))\(shownNote))"
    }
}
