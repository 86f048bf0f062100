import Foundation
import OptOutCore
import Testing

/// `optoutd serve` over real HTTP: what a person's link shows and records, and what it
/// refuses, whoever sends it.
@Suite(.enabled(if: hasTestJournal, "needs scripts/test-sandbox (make test)"))
struct ConfirmationPageTests {
    let web = WebFixture()
    var fixture: DaemonFixture { web.fixture }
    var alice: String { fixture.account("alice") }
    var bob: String { fixture.account("bob") }

    init() throws {
        try web.start(
            accounts: """
                  - {id: \(fixture.account("alice")), region: DE, email: alice@example.org, name: Alice}
                  - {id: \(fixture.account("bob")), region: FR, email: bob@example.org, language: fr}
                """)
    }

    func path(_ link: String) -> String { String(link.dropFirst(web.base.count)) }

    @Test func thePageListsTheStepsAndRecordsTheCheckedOnesAsAckWould() throws {
        let link = try web.link(alice)
        #expect(link.hasPrefix(web.base + "/c/"))
        let page = try web.get(path(link))
        #expect(page.status == 200)
        #expect(page.headers["Content-Type"] == "text/html; charset=utf-8")
        #expect(page.body.contains(#"<html lang="en">"#))
        #expect(page.body.contains("Hello Alice,"))
        #expect(page.body.contains(#"value="\#(alice):ai-improvement-toggle""#))
        #expect(page.body.contains(#"value="\#(alice):objection-form""#))
        #expect(!page.body.contains(bob), "a link shows only the accounts it covers")

        let answer = try web.post(path(link), "done=\(alice)%3Aai-improvement-toggle&note=Switched+off+on+my+phone")
        #expect(answer.status == 200)
        #expect(answer.body.contains("We recorded"))
        #expect(answer.body.contains("One step is still to do."))
        #expect(!answer.body.contains(#"value="\#(alice):ai-improvement-toggle""#), "done steps have no checkbox")
        let acks = try web.acks(alice)
        #expect(acks.count == 1)
        #expect(acks.first?["action"] as? String == "ai-improvement-toggle")
        #expect(acks.first?["source"] as? String == "link")
        #expect(acks.first?["note"] as? String == "Switched off on my phone")

        // Sending the same form again records nothing twice.
        _ = try web.post(path(link), "done=\(alice)%3Aai-improvement-toggle")
        #expect(try web.acks(alice).count == 1)
    }

    /// Behind a proxy that maps a path to the server, the page's form posts under that
    /// path, as the browser sees the page, while the server answers at its root.
    @Test func aBaseURLWithAPathIsWhereTheFormPosts() throws {
        web.stop()
        try fixture.writeConfig(
            accounts: "  - {id: \(alice), region: DE, email: alice@example.org}",
            extra: "web: {base_url: \"\(web.base)/optout\"}")
        try web.serve()
        let link = try web.link(alice)
        #expect(link.hasPrefix(web.base + "/optout/c/"))
        let token = String(link.dropFirst((web.base + "/optout/c/").count))
        let page = try web.get("/c/" + token)
        #expect(page.status == 200)
        #expect(page.body.contains(#"<form method="post" action="/optout/c/\#(token)">"#))
    }

    @Test func thePageSpeaksTheAccountsLanguage() throws {
        let page = try web.get(path(try web.link(bob)))
        #expect(page.body.contains(#"<html lang="fr">"#))
        #expect(page.body.contains("J’ai fait les étapes cochées"))
    }

    @Test func aTamperedMalformedOrForeignLinkGets404AndTheSamePage() throws {
        let link = path(try web.link(alice))
        var tampered = Array(link.utf8)
        tampered[8] = tampered[8] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        // A link made with another store's key, for the same account.
        let other = try DaemonFixture()
        try FileManager.default.copyItem(atPath: fixture.configPath, toPath: other.configPath)
        #expect(try other.runOnce().status == 0)
        let foreign = try other.run(["link", alice]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let answers = try [
            String(decoding: tampered, as: UTF8.self), "/c/abc", "/c/", "/c/\(alice)", path(foreign), "/nothing",
        ]
        .map { try web.get($0) }
        #expect(answers.map(\.status) == Array(repeating: 404, count: answers.count))
        #expect(Set(answers.map(\.body)).count == 1, "the same page whatever was wrong")
        #expect(answers[0].body.contains("This link does not work"))
        #expect(try web.post(String(decoding: tampered, as: UTF8.self), "done=\(alice)%3Aobjection-form").status == 404)
        #expect(try web.acks(alice).isEmpty)
    }

    /// A link needs the daemon's store: its key is kept beside it.
    @Test func linkRefusesAStoreThatIsNotThere() throws {
        let missing = fixture.directory.appendingPathComponent("typo.sqlite").path
        func link(state: String) throws -> Optoutd.Result {
            try Optoutd.run(["link", alice, "--config", fixture.configPath, "--state", state])
        }
        let refused = try link(state: missing)
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("no state store at \(missing)"), "\(refused.stderr)")
        let fifo = fixture.directory.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(try link(state: fifo).status == 1)
        for path in [missing, fifo] {
            #expect(!FileManager.default.fileExists(atPath: path + ".link-key"), "\(path).link-key")
        }
    }

    @Test func aNewKeyMakesEveryEarlierLinkUnusable() throws {
        let before = path(try web.link(alice))
        #expect(try web.get(before).status == 200)
        web.stop()
        try FileManager.default.removeItem(atPath: fixture.statePath + ".link-key")
        try web.serve()
        #expect(try web.get(before).status == 404)
        #expect(try web.get(path(try web.link(alice))).status == 200)
    }

    @Test func anExpiredLinkGets410AndSaysAFreshOneComes() throws {
        let expired = try web.link(alice, now: "2020-01-01T00:00:00Z")
        let answer = try web.get(path(expired))
        #expect(answer.status == 410)
        #expect(answer.body.contains("Every reminder we send brings a fresh link. If no reminder is coming, reply"))
        #expect(try web.post(path(expired), "done=\(alice)%3Aobjection-form").status == 410)
        #expect(try web.acks(alice).isEmpty)
        // A genuine link names its accounts: the page is in their language.
        let french = try web.get(path(try web.link(bob, now: "2020-01-01T00:00:00Z")))
        #expect(french.status == 410)
        #expect(french.body.contains(#"<html lang="fr">"#))
    }

    @Test(arguments: [
        "done=BOB%3Aai-improvement-toggle", "done=ALICE%3Ano-such-action", "done=ALICE", "done=ALICE%3A",
        "done=ALICE%3Aobjection-form&done=BOB%3Aobjection-form", "note=%ZZ&done=ALICE%3Aobjection-form",
    ])
    func aWrongDoneValueIsRefusedAndNothingIsRecorded(form: String) throws {
        let link = path(try web.link(alice))
        let body = form.replacingOccurrences(of: "ALICE", with: alice).replacingOccurrences(of: "BOB", with: bob)
        let answer = try web.post(link, body)
        #expect(answer.status == 400)
        #expect(answer.body.contains("nothing was recorded"))
        #expect(try web.acks(alice).isEmpty)
        #expect(try web.acks(bob).isEmpty)
    }

    /// A note that cannot be kept as typed (a tab, a bell, a direction mark) records
    /// nothing, says so, and hands back what can be kept with the ticks, to send again (a
    /// tab as a space, so that the words stay apart).
    @Test(arguments: [
        ("ticket%09PRIV-1", "ticket PRIV-1"), ("ticket%07PRIV-1", "ticketPRIV-1"),
        ("%E2%80%AEticketPRIV-1", "ticketPRIV-1"),
    ])
    func aNoteThatCannotBeKeptIsHandedBackToSendAgain(note: String, kept: String) throws {
        let link = path(try web.link(alice))
        let answer = try web.post(link, "done=\(alice)%3Aobjection-form&note=\(note)")
        #expect(answer.status == 400)
        #expect(answer.body.contains("Nothing was recorded: your note held a character that cannot be kept"))
        #expect(answer.body.contains(#"aria-describedby="note-hint">\#(kept)</textarea>"#), "\(answer.body)")
        #expect(
            answer.body.contains(
                #"value="\#(alice):objection-form" id="step-2" aria-describedby="step-2-where step-2-by" checked>"#))
        #expect(
            !answer.body.contains(
                #"value="\#(alice):ai-improvement-toggle" id="step-1" aria-describedby="step-1-where step-1-by" checked>"#
            ))
        #expect(try web.acks(alice).isEmpty)
        // Sent again as handed back, it is recorded.
        let resent = kept.replacingOccurrences(of: " ", with: "+")
        #expect(try web.post(link, "done=\(alice)%3Aobjection-form&note=\(resent)").status == 200)
        #expect(try web.acks(alice).first?["note"] as? String == kept)
    }

    /// A note is kept with the steps it is about: sent with nothing ticked, it is not
    /// recorded, and the page says so and keeps it in its box.
    @Test func aNoteWithNothingTickedIsNotLostWithoutAWord() throws {
        let answer = try web.post(path(try web.link(alice)), "note=I+cannot+find+the+setting")
        #expect(answer.status == 200)
        #expect(answer.body.contains("Nothing was checked, so nothing was recorded. Your note was not kept either"))
        #expect(answer.body.contains(">I cannot find the setting</textarea>"))
        #expect(try web.acks(alice).isEmpty)
    }

    @Test func aBodyOverSixteenKilobytesGets413() throws {
        let link = path(try web.link(alice))
        let form = "done=\(alice)%3Aobjection-form&note="
        // A megabyte, with its length announced, and in chunks without one.
        for way in ["padded-post", "chunked-post"] {
            #expect(try web.probe([way, web.base + link, form, String(1 << 20)])["status"] as? Int == 413)
        }
        #expect(try web.acks(alice).isEmpty)
        // Just under the limit is read (and refused only for its too long note).
        #expect(try web.probe(["padded-post", web.base + link, form, "16000"])["status"] as? Int == 400)
        #expect(try web.probe(["huge-header", web.base + "/healthz"])["status"] as? Int == 400)
    }

    @Test func aFormFromAnotherSiteIsRefused() throws {
        let link = path(try web.link(alice))
        let form = "done=\(alice)%3Aobjection-form"
        #expect(try web.post(link, form, headers: ["Origin:https://evil.example"]).status == 403)
        #expect(try web.post(link, form, headers: ["Sec-Fetch-Site:cross-site"]).status == 403)
        #expect(try web.post(link, form, headers: ["Origin:null"]).status == 403)
        #expect(try web.acks(alice).isEmpty)
        // A browser posting the page's own form, with or without Fetch Metadata (browsers
        // send it to secure origins alone, and the page's referrer policy keeps its Origin).
        let own = try web.post(link, form, headers: ["Sec-Fetch-Site:same-origin", "Origin:null"])
        #expect(own.status == 200)
        #expect(try web.acks(alice).count == 1)
        let plain = try web.post(link, "done=\(alice)%3Aai-improvement-toggle")
        #expect(plain.status == 200)
        #expect(try web.acks(alice).count == 2)
        // A made-up link is unknown, whoever sends it: no warning for each such form, and
        // what a sender put in Origin reaches the journal quoted and shortened.
        let forged = "Origin:https://evil.example/" + String(repeating: "Z", count: 7000)
        #expect(try web.post("/c/made-up", form, headers: [forged]).status == 404)
        #expect(try web.post(link, form, headers: [forged]).status == 403)
        try web.fixture.journalBarrier()
        let pid = try #require(web.serverProcessIdentifier)
        let warnings = try web.fixture.entries(["_PID=\(pid)", "PRIORITY=4"]).compactMap { $0["MESSAGE"] }
            .filter { $0.contains("another site") }
        #expect(warnings.count == 4, "\(warnings)")
        #expect(
            warnings.last?.hasPrefix("refused a form sent from another site (Origin 'https://evil.example/ZZZ") == true)
        #expect(warnings.allSatisfy { $0.count < 300 }, "\(warnings.map(\.count))")
    }

    /// A client that sends request after request and reads no answer once piled the
    /// answers up in memory, hundreds of megabytes a minute.
    @Test func aClientThatNeverReadsCannotFillTheServersMemory() throws {
        let before = web.serverResidentKilobytes
        let sent = try web.probe(["unread-pipeline", web.url(path(try web.link(alice))), "6"])["sent"] as? Int ?? 0
        let grown = web.serverResidentKilobytes - before
        #expect(sent > 0)
        #expect(grown < 20_000, "the server grew by \(grown) KB")
        #expect(try web.get("/healthz").status == 200)
    }

    /// `nc -N` and the like close their side once the request is sent: the answer still comes.
    @Test func aClientThatClosesItsSideAfterTheRequestGetsTheAnswer() throws {
        let link = path(try web.link(alice))
        let form = "done=\(alice)%3Aobjection-form"
        let request =
            "POST \(link) HTTP/1.1\\r\\nHost: x\\r\\nOrigin: \(web.base)\\r\\n"
            + "Content-Type: application/x-www-form-urlencoded\\r\\nContent-Length: \(form.utf8.count)\\r\\n\\r\\n\(form)"
        let answer = try web.probe(["half-close", web.base, request])
        #expect(answer["status"] as? Int == 200)
        #expect(answer["answers"] as? Int == 1)
        #expect(answer["closed"] as? Bool == true)
        #expect(try web.acks(alice).count == 1)
    }

    /// What the HTTP decoder refuses gets one 400 with the headers of every answer, and the
    /// connection ends at once.
    @Test(arguments: [
        "GET /healthz HTTP/2.0\\r\\n\\r\\n", "GET /healthz\\r\\n\\r\\n",
        "POST /healthz HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 5\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n",
        "GET /healthz HTTP/1.1\\r\\nHost: x\\r\\nA header: with a space\\r\\n\\r\\n",
    ])
    func aMalformedRequestGetsOneAnswerWithTheProtectiveHeaders(request: String) throws {
        let answer = try web.probe(["half-close", web.base, request])
        #expect(answer["status"] as? Int == 400)
        #expect(answer["answers"] as? Int == 1)
        #expect(answer["closed"] as? Bool == true)
        let headers = answer["headers"] as? [String: String] ?? [:]
        #expect(headers["Content-Security-Policy"]?.contains("default-src 'none'") == true, "\(headers)")
        #expect(headers["X-Frame-Options"] == "DENY")
        #expect(headers["Cache-Control"] == "no-store")
    }

    @Test func everyAnswerCarriesTheProtectiveHeaders() throws {
        for answer in [try web.get(path(try web.link(alice))), try web.get("/c/nothing"), try web.get("/healthz")] {
            let policy = answer.headers["Content-Security-Policy"] ?? ""
            for part in ["default-src 'none'", "form-action 'self'", "frame-ancestors 'none'", "style-src 'sha256-"] {
                #expect(policy.contains(part), "\(policy)")
            }
            #expect(answer.headers["Referrer-Policy"] == "same-origin")
            #expect(answer.headers["X-Content-Type-Options"] == "nosniff")
            #expect(answer.headers["Cache-Control"] == "no-store")
        }
    }

    @Test func healthAndMetricsAnswerAndOtherMethodsDoNot() throws {
        let health = try web.get("/healthz")
        #expect(health.status == 200 && health.body == "ok\n")
        _ = try web.post(path(try web.link(alice)), "done=\(alice)%3Aobjection-form")
        let metrics = try web.get("/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.headers["Content-Type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        let file = fixture.directory.appendingPathComponent("metrics.prom")
        try metrics.body.write(to: file, atomically: true, encoding: .utf8)
        let parsed = try Optoutd.runTool(
            "/usr/bin/python3",
            [Optoutd.repository.appendingPathComponent("Tests/support/parse_metrics.py").path, file.path])
        #expect(parsed.status == 0, "\(parsed.stderr)")
        let samples =
            (try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [String: Any])?["samples"]
            as? [[String: Any]] ?? []
        let pending = samples.first {
            $0["name"] as? String == "optoutd_actions_pending"
                && ($0["labels"] as? [String: String])?["action"] == "objection-form"
        }
        #expect(pending?["value"] as? Double == 1, "bob's is pending, alice's done")
        // The same families as `report --format prometheus` over the same store.
        let report = try fixture.run(["report", "--format", "prometheus"])
        #expect(report.status == 0, "\(report.stderr)")
        func families(_ text: String) -> Set<String> {
            Set(text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map(String.init))
        }
        #expect(families(metrics.body) == families(report.stdout))
        #expect(families(metrics.body).count >= 7)
        // The audit trail: the report names the link as the step's source.
        let csv = try fixture.run(["report", "--format", "csv"]).stdout
        #expect(
            csv.split(whereSeparator: \.isNewline).contains {
                $0.hasPrefix("\(alice),") && $0.contains(",objection-form,done,") && $0.contains(",link,")
            }, "\(csv)")
        #expect(try web.probe(["method", "DELETE", web.base + "/healthz"])["status"] as? Int == 405)
    }

    @Test func aHundredIdleConnectionsDoNotStopARealRequest() throws {
        let result = try web.probe(["idle-then-get", "100", web.base + "/healthz"])
        #expect(result["status"] as? Int == 200)
        #expect((result["closed"] as? Int ?? 0) >= 100 + 1 - 64, "the longest idle ones made room")
    }

    /// A flood of connections that send nothing makes room among themselves: one that is
    /// part-way through sending its request (a slow phone, a proxy streaming it) is not the
    /// one closed, though it is the oldest.
    @Test func aFloodOfIdleConnectionsDoesNotCutARequestBeingSent() throws {
        let result = try web.probe(["sending-while-flooded", "100", web.base + "/healthz"])
        #expect(result["status"] as? Int == 200)
    }

    @Test func aClientSendingAByteNowAndThenIsCutOffAfterTenSeconds() throws {
        let seconds = try web.probe(["slow", web.base + "/healthz"])["seconds"] as? Double ?? 0
        #expect((9...14).contains(seconds), "\(seconds)")
    }
}
