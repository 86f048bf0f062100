extension ComplianceReport {
    /// The report as one JSON object: `at`, `policy` and `region` (what it is narrowed to,
    /// or null), `rows` (the CSV's fields by name, `done_at`, `source` and `note` null when
    /// empty, `days_overdue` a number) and `summary`.
    public func json(zone: Zone) -> TextBuffer {
        var json = JSONWriter()
        json.beginObject()
        json.key("at")
        json.string(zone.rfc3339(at))
        json.key("policy"); json.string(policyFilter)
        json.key("region"); json.string(regionFilter?.description)
        json.key("rows")
        json.beginArray()
        forEachRow { row in
            json.beginObject()
            json.key("account"); json.string(row.account.id)
            json.key("platform"); json.string(row.account.platform)
            json.key("region"); json.string(row.account.region.description)
            json.key("policy"); json.string(row.policy.id)
            json.key("action"); json.string(row.action.id)
            json.key("status"); json.string(row.isDone ? "done" : "pending")
            json.key("done_at"); json.string(row.doneAt)
            json.key("source"); json.string(row.isDone ? row.source : nil)
            json.key("note"); json.string(row.record?.note)
            json.key("deadline"); json.string(row.deadline)
            json.key("days_overdue"); json.number(row.daysOverdue)
            json.endObject()
        }
        json.endArray()
        json.key("summary")
        json.beginObject()
        json.key("accounts"); json.number(accountCount)
        json.key("accounts_to_act"); json.number(accountsToAct)
        json.key("policies")
        json.beginArray()
        for summary in policies {
            json.beginObject()
            json.key("policy"); json.string(summary.policy.id)
            json.key("title"); json.string(summary.policy.title)
            json.key("deadline"); json.string(summary.policy.deadline.description)
            Self.write(summary.accounts, into: &json)
            json.key("pending_actions")
            json.beginObject()
            for (action, count) in summary.pendingByAction {
                json.key(action.id); json.number(count)
            }
            json.endObject()
            json.key("weeks")
            json.beginArray()
            for week in summary.weeks {
                json.beginObject()
                json.key("at"); json.string(zone.rfc3339(week.at))
                Self.write(week.done, into: &json)
                json.endObject()
            }
            json.endArray()
            json.endObject()
        }
        json.endArray()
        json.key("regions")
        json.beginArray()
        for summary in regions {
            json.beginObject()
            json.key("region"); json.string(summary.region.description)
            Self.write(summary.accounts, into: &json)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        json.endObject()
        json.buffer.append(byte: UInt8(ascii: "\n"))
        return json.buffer
    }

    private static func write(_ tally: Tally, into json: inout JSONWriter) {
        json.key("accounts"); json.number(tally.covered)
        json.key("done"); json.number(tally.done)
        json.key("percent")
        json.raw { $0.append(tally.percentText) }
    }
}
