/// Writes plan notices one at a time as a table or a JSON array, so that a plan of
/// millions of notices streams out in constant memory.
///
/// Table columns are sized from the configuration (longest account id, policy id, …),
/// not from the rows, so that every row can be written as soon as it is known.
public struct PlanWriter {
    public enum Format: Sendable {
        case table, json
    }

    public let format: Format
    private var json = JSONWriter()
    private let channelNames: [EventKind: [String]]
    private let widths: [Int]
    private let accounts: [Account]
    /// The accounts' ids, side by side in the configuration's index: table rows show them
    /// by the hundred thousand, and reaching each account for its id is a trip far off in memory.
    private let accountIDs: [String]
    private let policies: [Policy]
    /// Rows share few times, and most share their cells from POLICY on with many others.
    private var times = SlotCache<TimeKey, [UInt8]>(slotBits: 6)
    private var tails = SlotCache<TailKey, [UInt8]>(slotBits: 8)
    private static let header = ["AT", "ACCOUNT", "REGION", "POLICY", "EVENT", "DAYS LEFT", "PENDING", "LATE"]

    private struct TimeKey: SlotCacheKey {
        var at: Instant
        var utcOffset: Int

        var slotSeed: Int { at.secondsSince1970 &* 31 &+ utcOffset }
    }

    /// What the cells from POLICY on depend on, for a record.
    private struct TailKey: SlotCacheKey {
        var policy: Int
        var pending: Int
        var event: EventKind
        var date: CivilDate
        var late: Bool

        /// Without the event: one policy's pairs seldom get two kinds of notice on one date.
        var slotSeed: Int { ((policy &* 31 &+ pending) &* 31 &+ date.dayNumber) &* 2 &+ (late ? 1 : 0) }
    }

    public init(format: Format, configuration: Configuration) {
        self.format = format
        channelNames = Dictionary(
            uniqueKeysWithValues: EventKind.allCases.map { ($0, configuration.channels.names(for: $0)) })
        accounts = configuration.accounts
        accountIDs = configuration.accountIDs
        policies = configuration.catalog.policies
        let longestPending = policies.map { policy -> Int in
            policy.actions.map(\.id.count).reduce(0, +) + policy.actions.count - 1
        }.max()
        let contents: [Int] = [
            "2025-10-27T09:00:00+01:00".count,
            // Ids are ASCII: bytes are characters, and counting them is far cheaper for 100,000 ids.
            accountIDs.reduce(0) { max($0, $1.utf8.count) },
            2,
            policies.map(\.id.count).max() ?? 0,
            EventKind.allCases.map(\.rawValue.count).max() ?? 0,
            5,
            longestPending ?? 0,
            0,
        ]
        widths = zip(contents, Self.header).map { max($0, $1.count) }
    }

    public mutating func begin(into buffer: inout TextBuffer) {
        switch format {
        case .table: row(Self.header, into: &buffer)
        case .json:
            json.buffer = buffer
            json.beginArray()
            buffer = json.buffer
        }
    }

    public mutating func write(_ notice: Notice, into buffer: inout TextBuffer) {
        write(
            at: notice.at, utcOffset: notice.utcOffset, account: notice.account, policy: notice.policy,
            event: notice.event, date: notice.date, pending: notice.pending, late: notice.late, into: &buffer)
    }

    /// A record's notice, its account and policy looked up in the configuration the writer
    /// was made with, its pending actions in the scheduler's `pendingActionLists`.
    public mutating func write(
        _ record: NoticeRecord, pendingActionLists: [[PolicyAction]], into buffer: inout TextBuffer
    ) {
        guard format == .table else {
            write(
                at: record.at, utcOffset: record.utcOffset, account: accounts[record.account],
                policy: policies[record.policy], event: record.event, date: record.date,
                pending: pendingActionLists[record.pending], late: record.late, into: &buffer)
            return
        }
        let key = TailKey(
            policy: record.policy, pending: record.pending, event: record.event, date: record.date, late: record.late)
        let (policies, widths) = (policies, widths)
        let tail = tails.value(for: key) {
            Self.tableTail(
                policy: policies[record.policy], event: record.event, date: record.date,
                pending: pendingActionLists[record.pending], late: record.late, widths: widths)
        }
        tableRow(
            at: record.at, utcOffset: record.utcOffset, id: accountIDs[record.account], region: record.region,
            tail: tail, into: &buffer)
    }

    /// A notice from its parts, such as a `NoticeRecord`'s looked up in the configuration.
    public mutating func write(
        at: Instant, utcOffset: Int, account: Account, policy: Policy, event: EventKind, date: CivilDate,
        pending: [PolicyAction], late: Bool, into buffer: inout TextBuffer
    ) {
        switch format {
        case .table:
            let tail = Self.tableTail(
                policy: policy, event: event, date: date, pending: pending, late: late, widths: widths)
            tableRow(at: at, utcOffset: utcOffset, id: account.id, region: account.region, tail: tail, into: &buffer)
        case .json:
            let daysLeft = date.days(until: policy.deadline)
            swap(&json.buffer, &buffer)
            json.beginObject()
            json.key("at");
            json.raw {
                $0.append(byte: UInt8(ascii: "\"")); $0.append(instant: at, utcOffset: utcOffset);
                $0.append(byte: UInt8(ascii: "\""))
            }
            json.key("account"); json.string(account.id)
            json.key("platform"); json.string(account.platform)
            json.key("region"); json.string(account.region.description)
            json.key("policy"); json.string(policy.id)
            json.key("event"); json.string(event.rawValue)
            json.key("effective");
            json.raw {
                $0.append(byte: UInt8(ascii: "\"")); $0.append(date: policy.effective);
                $0.append(byte: UInt8(ascii: "\""))
            }
            json.key("deadline");
            json.raw {
                $0.append(byte: UInt8(ascii: "\"")); $0.append(date: policy.deadline);
                $0.append(byte: UInt8(ascii: "\""))
            }
            json.key("days_left"); json.number(daysLeft)
            json.key("pending")
            json.beginArray()
            for action in pending { json.string(action.id) }
            json.endArray()
            json.key("late"); json.bool(late)
            json.key("channels"); json.strings(channelNames[event] ?? [])
            json.endObject()
            swap(&json.buffer, &buffer)
        }
    }

    public mutating func end(into buffer: inout TextBuffer) {
        guard format == .json else { return }
        swap(&json.buffer, &buffer)
        json.endArray()
        json.buffer.append("\n")
        swap(&json.buffer, &buffer)
    }

    /// A table row: the time, account and region cells, then `tail`. A cell longer than its
    /// column pushes the rest along.
    private mutating func tableRow(
        at: Instant, utcOffset: Int, id: String, region: CountryCode, tail: [UInt8], into buffer: inout TextBuffer
    ) {
        // The time cell with its padding, as rows share both.
        let width = widths[0]
        let time = times.value(for: TimeKey(at: at, utcOffset: utcOffset)) {
            var text = TextBuffer()
            var row = TableRow(0)
            text.append(instant: at, utcOffset: utcOffset)
            row.endCell(width: width, in: &text)
            return text.bytes
        }
        buffer.append(time)
        var row = TableRow(buffer.count)
        buffer.append(id)
        row.endCell(width: widths[1], in: &buffer)
        let region = region.index
        buffer.append(byte: UInt8(65 + region / 26))
        buffer.append(byte: UInt8(65 + region % 26))
        row.endCell(width: widths[2], in: &buffer)
        buffer.append(tail)
    }

    /// The cells of a table row from POLICY to the end of the line: the same for every row of
    /// one policy, pending list, event, date and lateness.
    private static func tableTail(
        policy: Policy, event: EventKind, date: CivilDate, pending: [PolicyAction], late: Bool, widths: [Int]
    ) -> [UInt8] {
        var text = TextBuffer()
        var row = TableRow(0)
        text.append(policy.id)
        row.endCell(width: widths[3], in: &text)
        text.append(event.rawValue)
        row.endCell(width: widths[4], in: &text)
        text.append(decimal: date.days(until: policy.deadline))
        if !pending.isEmpty || late { row.endCell(width: widths[5], in: &text) }
        for index in pending.indices {
            if index > 0 { text.append(byte: UInt8(ascii: ",")) }
            text.append(pending[index].id)
        }
        if late {
            row.endCell(width: widths[6], in: &text)
            text.append("late")
        }
        text.append(byte: UInt8(ascii: "\n"))
        return text.bytes
    }

    /// Cells padded to the column widths (starting at column `first`), the last one unpadded.
    /// Cells are ASCII (ids, codes, numbers), so bytes count characters.
    private func row(_ cells: [String], into buffer: inout TextBuffer, from first: Int = 0) {
        var spaces = 0  // owed before the next non-empty cell; dropped at the end of the line
        for (offset, cell) in cells.enumerated() {
            if !cell.isEmpty {
                buffer.append(spaces: spaces)
                buffer.append(cell)
                spaces = -cell.utf8.count
            }
            spaces += widths[first + offset] + 2
        }
        buffer.append(byte: UInt8(ascii: "\n"))
    }
}

/// Where the cells of a table row start: each cell is padded with spaces to its column's
/// width and two more, unless it is longer.
private struct TableRow {
    /// Where the current cell starts in the buffer.
    private var cellStart: Int

    /// A row whose current cell starts at `start` in the buffer.
    init(_ start: Int) {
        cellStart = start
    }

    /// Pads the current cell, of a column `width` wide, and starts the next one where the
    /// padding ends.
    mutating func endCell(width: Int, in buffer: inout TextBuffer) {
        buffer.append(spaces: cellStart + width + 2 - buffer.count)
        cellStart = buffer.count
    }
}
