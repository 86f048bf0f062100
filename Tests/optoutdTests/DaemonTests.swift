import Foundation
import OptOutCore
import OptOutDaemon
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The daemon against a real journald (run `make test`, which provides one).
@Suite(.serialized, .enabled(if: hasTestJournal, "needs scripts/test-sandbox (make test)"))
struct DaemonTests {
    static let noticeFields: Set<String> = [
        "MESSAGE", "MESSAGE_ID", "PRIORITY", "SYSLOG_IDENTIFIER", "OPTOUT_EVENT", "OPTOUT_ACCOUNT", "OPTOUT_PLATFORM",
        "OPTOUT_REGION", "OPTOUT_POLICY", "OPTOUT_EFFECTIVE", "OPTOUT_DEADLINE", "OPTOUT_DAYS_LEFT", "OPTOUT_PENDING",
        "OPTOUT_LATE",
    ]

    /// The fields optoutd wrote (not the ones journald adds, nor the source location).
    static func written(_ entry: [String: String]) -> Set<String> {
        Set(entry.keys.filter { !$0.hasPrefix("_") && !$0.hasPrefix("CODE_") })
    }

    @Test func dueNoticesReachTheJournalWithEveryFieldAndOnlyForCoveredAccounts() throws {
        let fixture = try DaemonFixture()
        try fixture.writeConfig(
            accounts: """
                  - {id: \(fixture.account("de")), region: DE, name: "Erika Mustermann"}
                  - {id: \(fixture.account("us")), region: US, timezone: America/New_York, done: [objection-form]}
                  - {id: \(fixture.account("ch")), region: CH, done: [linkedin-genai-training-2025]}
                """)
        let result = try fixture.run(["run", "--once"])
        #expect(result.status == 0, "\(result.stderr)")
        let notices = try fixture.waitForNotices { $0.count >= 3 }
        #expect(notices.count == 3)
        #expect(
            Set(notices.map { "\($0["OPTOUT_ACCOUNT"]!) \($0["OPTOUT_POLICY"]!)" }) == [
                "\(fixture.account("de")) linkedin-genai-training-2025",
                "\(fixture.account("us")) linkedin-genai-training-2024",
                "\(fixture.account("us")) linkedin-ads-sharing-2025",
            ])
        for entry in notices {
            #expect(Self.written(entry) == Self.noticeFields)
            #expect(entry["OPTOUT_EVENT"] == "policy-applies")
            #expect(entry["PRIORITY"] == "5")
            #expect(entry["MESSAGE_ID"] == MessageID.notice(.policyApplies))
            #expect(entry["SYSLOG_IDENTIFIER"] == "optoutd")
            #expect(entry["OPTOUT_LATE"] == "0")
            #expect(entry["OPTOUT_PLATFORM"] == "linkedin")
            #expect(Int(entry["OPTOUT_DAYS_LEFT"] ?? "") ?? 0 < 0)
        }
        let german = try #require(notices.first { $0["OPTOUT_ACCOUNT"] == fixture.account("de") })
        #expect(german["OPTOUT_REGION"] == "DE")
        #expect(german["OPTOUT_EFFECTIVE"] == "2025-11-03")
        #expect(german["OPTOUT_DEADLINE"] == "2025-11-03")
        #expect(german["OPTOUT_PENDING"] == "ai-improvement-toggle,objection-form")
        #expect(german["MESSAGE"]?.contains("Erika Mustermann") == true)
        let american = notices.filter { $0["OPTOUT_ACCOUNT"] == fixture.account("us") }
        #expect(
            american.first { $0["OPTOUT_POLICY"] == "linkedin-genai-training-2024" }?["OPTOUT_PENDING"]
                == "ai-improvement-toggle")

        // Run again: nothing is sent twice.
        #expect(try fixture.run(["run", "--once"]).status == 0)
        try fixture.journalBarrier()
        #expect(try fixture.notices().count == 3)
    }

    @Test func catchUpAfterDowntimeSendsOnlyTheLatestMissedNoticeMarkedLate() throws {
        let fixture = try DaemonFixture()
        let account = fixture.account("away")
        try fixture.writeConfig(accounts: "  - {id: \(account), region: FR}")
        let now = Instant(Date())
        // Seen 30 days ago: overdue notices were due 23, 16, 9 and 2 days ago.
        try fixture.seed([(account, "linkedin-genai-training-2025", now.adding(seconds: -30 * 86_400))])
        // Before the daemon runs, status gives the catch-up's time as the daemon sends it: now,
        // not the 23 days ago that its first missed notice was due.
        let waiting = try fixture.run(["status", "--format", "json"])
        let before = try #require(try JSONSerialization.jsonObject(with: Data(waiting.stdout.utf8)) as? [[String: Any]])
        let next = try #require((before.first?["next_at"] as? String)?.split(separator: " ").first)
        let nextAt = try #require(Instant(iso: String(next), defaultZone: .utc))
        #expect(abs(nextAt.secondsSince1970 - now.secondsSince1970) < 600, "\(before)")
        #expect(try fixture.run(["run", "--once"]).status == 0)
        let notices = try fixture.waitForNotices { !$0.isEmpty }
        try fixture.journalBarrier()
        #expect(try fixture.notices().count == 1)
        let entry = try #require(notices.first)
        #expect(entry["OPTOUT_EVENT"] == "overdue")
        #expect(entry["OPTOUT_LATE"] == "1")
        #expect(entry["PRIORITY"] == "3")
        #expect(entry["MESSAGE_ID"] == MessageID.notice(.overdue))
        #expect(Self.written(entry) == Self.noticeFields)
        let status = try fixture.run(["status", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 1)
        #expect((rows.first?["last_sent"] as? String)?.hasSuffix("(overdue)") == true)
        #expect((rows.first?["next_at"] as? String)?.hasSuffix("(overdue)") == true)
        #expect(try fixture.run(["run", "--once"]).status == 0)
        try fixture.journalBarrier()
        #expect(try fixture.notices().count == 1)
        // plan reads the store too: nothing is due at once any more, the next overdue repeat is next.
        let plan = try fixture.run(["plan", "--format", "json", "--days", "30"])
        let events = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [[String: Any]])
        #expect(events.map { $0["event"] as? String } == ["overdue", "overdue", "overdue", "overdue"])
        #expect(events.allSatisfy { $0["late"] as? Bool == false })
    }

    @Test func theDaemonSleepsUntilANoticeIsDueAndTalksToTheManager() throws {
        let fixture = try DaemonFixture()
        let account = fixture.account("live")
        try fixture.writeConfig(
            accounts: "  - {id: \(account), region: IT}",
            extra: "reminders: {lead_times: [1d], overdue_every: 1h, overdue_max: 3}")
        // Seen 59 min 56 s ago: the first hourly overdue repeat is due in 4 seconds.
        try fixture.seed([(account, "linkedin-genai-training-2025", Instant(Date()).adding(seconds: -3596))])
        let notify = try NotifySocket()
        defer { notify.close() }
        let daemon = try fixture.start(environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "400000"])
        let ready = notify.wait { $0.contains("READY=1") }
        #expect(
            ready.first { $0.contains("READY=1") }?.contains(
                "STATUS=1 account, 19 policies, 1 pending pair; next: overdue for \(account)") == true)
        #expect(try fixture.notices().isEmpty)
        let notices = try fixture.waitForNotices(timeout: .seconds(12)) { !$0.isEmpty }
        #expect(notices.map { $0["OPTOUT_EVENT"] } == ["overdue"])
        #expect(notices.first?["OPTOUT_LATE"] == "0")
        notify.wait(timeout: .seconds(3)) { $0.contains("WATCHDOG=1") }
        #expect(notify.messages.contains("WATCHDOG=1"))
        #expect(daemon.stop(SIGTERM) == 0)
        notify.wait(timeout: .seconds(2)) { $0.contains("STOPPING=1") }
        #expect(notify.messages.filter { $0.contains("READY=1") }.count == 1)
        #expect(notify.messages.contains { $0.contains("STOPPING=1") })
    }

    @Test func anIdleDaemonDoesNotWakeUpBeforeOrAfterAReload() throws {
        let fixture = try DaemonFixture()
        try fixture.writeConfig(
            accounts: "  - {id: \(fixture.account("idle")), region: FR, done: [linkedin-genai-training-2025]}")
        let notify = try NotifySocket()
        defer { notify.close() }
        let daemon = try fixture.start(environment: ["NOTIFY_SOCKET": notify.path])
        notify.wait { $0.contains("READY=1") }
        #expect(try Self.wakeUps(of: daemon.processIdentifier, over: .seconds(3)) == 0)
        // A reload runs beside the loop; afterwards the process is as quiet as before.
        let before = notify.messages.count
        kill(daemon.processIdentifier, SIGHUP)
        notify.wait(after: before) { $0.contains("READY=1") }
        #expect(try Self.wakeUps(of: daemon.processIdentifier, over: .seconds(3)) == 0)
        #expect(daemon.stop(SIGTERM) == 0)
    }

    /// Voluntary context switches of all of `pid`'s threads over `span`, after a second to settle.
    static func wakeUps(of pid: Int32, over span: Duration) throws -> Int {
        func total() throws -> Int {
            try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task").reduce(0) { sum, thread in
                let status = try String(contentsOfFile: "/proc/\(pid)/task/\(thread)/status", encoding: .utf8)
                let line = status.split(separator: "\n").first { $0.hasPrefix("voluntary_ctxt_switches:") }
                return sum + (line?.split(separator: "\t").last.flatMap { Int($0) } ?? 0)
            }
        }
        Thread.sleep(forTimeInterval: 1)
        let first = try total()
        Thread.sleep(forTimeInterval: Double(span.components.seconds))
        return try total() - first
    }

    @Test func killDuringABurstLosesNothingAndRepeatsAtMostOne() throws {
        let fixture = try DaemonFixture()
        let accounts = (0..<1000).map { "  - {id: \(fixture.account("b\($0)")), region: NL}" }.joined(separator: "\n")
        try fixture.writeConfig(accounts: accounts)
        let daemon = try fixture.start()
        var seenBeforeKill = 0
        let deadline = ContinuousClock.now + .seconds(20)
        while seenBeforeKill == 0, ContinuousClock.now < deadline {
            seenBeforeKill = try fixture.entries(["OPTOUT_EVENT=policy-applies", "--output-fields=OPTOUT_ACCOUNT"])
                .filter { $0["OPTOUT_ACCOUNT"]?.hasPrefix(fixture.tag) == true }.count
        }
        daemon.stop(SIGKILL)
        #expect(seenBeforeKill > 0)
        #expect(seenBeforeKill < 1000, "the kill came after the burst, so it tested nothing")
        #expect(try fixture.run(["run", "--once"]).status == 0)
        let notices = try fixture.waitForNotices { Set($0.compactMap { $0["OPTOUT_ACCOUNT"] }).count >= 1000 }
        let perAccount = Dictionary(grouping: notices, by: { $0["OPTOUT_ACCOUNT"] ?? "" })
        #expect(perAccount.count == 1000)
        #expect(notices.count - perAccount.count <= 1, "killed after \(seenBeforeKill) of 1000")
    }

    @Test func sigtermDuringABurstStopsPromptlyAndLosesNothing() throws {
        let fixture = try DaemonFixture()
        let accounts = (0..<4000).map { "  - {id: \(fixture.account("t\($0)")), region: CZ}" }.joined(separator: "\n")
        try fixture.writeConfig(accounts: accounts)
        let daemon = try fixture.start()
        try fixture.waitForNotices(timeout: .seconds(30)) { !$0.isEmpty }
        let asked = ContinuousClock.now
        #expect(daemon.stop(SIGTERM) == 0)
        #expect(ContinuousClock.now - asked < .seconds(5))
        #expect(try fixture.run(["run", "--once"]).status == 0)
        let notices = try fixture.waitForNotices(timeout: .seconds(60)) { $0.count >= 4000 }
        #expect(Set(notices.compactMap { $0["OPTOUT_ACCOUNT"] }).count == 4000)
        #expect(notices.count == 4000)
    }

    @Test func reloadRejectsABrokenConfigAndAnnouncesANewAccount() throws {
        let fixture = try DaemonFixture()
        let alice = fixture.account("alice")
        let bob = fixture.account("bob")
        try fixture.writeConfig(accounts: "  - {id: \(alice), region: AT}")
        let notify = try NotifySocket()
        defer { notify.close() }
        let daemon = try fixture.start(environment: ["NOTIFY_SOCKET": notify.path])
        defer { daemon.stop() }
        notify.wait { $0.contains("READY=1") }
        try fixture.waitForNotices { !$0.isEmpty }

        try "version: 1\ndefaults: {platform: linkedin}\naccounts:\n  - {id: \(bob), region: Atlantis}\n".write(
            toFile: fixture.configPath, atomically: true, encoding: .utf8)
        let column = "  - {id: \(bob), region: ".count + 1
        let before = notify.messages.count
        kill(daemon.processIdentifier, SIGHUP)
        let messages = notify.wait(after: before) { $0.contains("READY=1") }.dropFirst(before)
        #expect(messages.first?.hasPrefix("RELOADING=1\nMONOTONIC_USEC=") == true)
        #expect(messages.contains { $0.contains("READY=1") && $0.contains("reload rejected (1 error)") })
        #expect(daemon.isRunning)
        let rejected = try fixture.entries([
            "MESSAGE_ID=\(MessageID.configurationRejected)", "_PID=\(daemon.processIdentifier)",
        ])
        #expect(rejected.count == 1)
        #expect(
            rejected.first?["OPTOUT_CONFIG_ERRORS"]
                == "\(fixture.configPath):4:\(column): error: unknown region 'Atlantis'; an account's region is an ISO 3166-1 alpha-2 country code, such as DE"
        )
        #expect(rejected.first?["PRIORITY"] == "3")

        try fixture.writeConfig(accounts: "  - {id: \(alice), region: AT}\n  - {id: \(bob), region: BE}")
        kill(daemon.processIdentifier, SIGHUP)
        let notices = try fixture.waitForNotices { $0.contains { $0["OPTOUT_ACCOUNT"] == bob } }
        #expect(notices.filter { $0["OPTOUT_ACCOUNT"] == bob }.map { $0["OPTOUT_EVENT"] } == ["policy-applies"])
        #expect(notices.filter { $0["OPTOUT_ACCOUNT"] == alice }.count == 1)
        #expect(
            try fixture.entries(["MESSAGE_ID=\(MessageID.reloaded)", "_PID=\(daemon.processIdentifier)"]).count == 1)
    }

    @Test func ackWhileRunningSendsOptedOutAndStopsReminders() throws {
        let fixture = try DaemonFixture()
        let alice = fixture.account("alice")
        try fixture.writeConfig(accounts: "  - {id: \(alice), region: SE}")
        let daemon = try fixture.start()
        defer { daemon.stop() }
        try fixture.waitForNotices { !$0.isEmpty }
        let partial = try fixture.run([
            "ack", alice, "linkedin-genai-training-2025", "ai-improvement-toggle", "--note", "done by IT",
        ])
        #expect(partial.status == 0, "\(partial.stderr)")
        let started = ContinuousClock.now
        let ack = try fixture.run(["ack", alice, "linkedin-genai-training-2025"])
        #expect(ack.status == 0)
        let notices = try fixture.waitForNotices(timeout: .seconds(5)) {
            $0.contains { $0["OPTOUT_EVENT"] == "opted-out" }
        }
        #expect(ContinuousClock.now - started < .seconds(5))
        let optedOut = try #require(notices.first { $0["OPTOUT_EVENT"] == "opted-out" })
        #expect(optedOut["PRIORITY"] == "6")
        #expect(optedOut["OPTOUT_PENDING"] == "")
        #expect(notices.count == 2)
        let status = try fixture.run(["status", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [[String: Any]])
        #expect(rows.first?["pending"] as? [String] == [])
        #expect(rows.first?["done"] as? [String] == ["ai-improvement-toggle", "objection-form"])
        #expect(rows.first?["next_at"] is NSNull)
    }

    @Test func ackAndStartupErrors() throws {
        let fixture = try DaemonFixture()
        try fixture.writeConfig(accounts: "  - {id: \(fixture.account("a")), region: JP}")
        #expect(try fixture.run(["ack", "nobody", "linkedin-genai-training-2024"]).status == 65)
        #expect(try fixture.run(["ack", fixture.account("a"), "no-such-policy"]).status == 65)
        // not in JP
        #expect(try fixture.run(["ack", fixture.account("a"), "linkedin-genai-training-2025"]).status == 65)
        #expect(try fixture.run(["ack", fixture.account("a"), "linkedin-genai-training-2024", "bogus"]).status == 65)
        try "version: 1\nbogus: true\n".write(toFile: fixture.configPath, atomically: true, encoding: .utf8)
        let invalid = try fixture.run(["run"])
        #expect(invalid.status == 78)
        #expect(invalid.stderr.contains("optoutd.yaml:2:1: error: unknown key 'bogus'"))
        #expect(!FileManager.default.fileExists(atPath: fixture.statePath))
    }

    @Test(.enabled(if: getuid() == 0, "needs root")) func ackAsRootKeepsTheStoreOwnedByTheServiceUser() throws {
        let fixture = try DaemonFixture()
        let account = fixture.account("owned")
        try fixture.writeConfig(accounts: "  - {id: \(account), region: PT}")
        #expect(try fixture.run(["run", "--once"]).status == 0)
        let stateDirectory = (fixture.statePath as NSString).deletingLastPathComponent
        // As under DynamicUser=yes: the state belongs to the service's user (here: nobody),
        // inside a directory that only root may pass (like /var/lib/private).
        #expect(try Optoutd.runTool("/bin/chown", ["-R", "65534:65534", stateDirectory]).status == 0)
        chmod(fixture.directory.path, 0o700)
        let ack = try fixture.run(["ack", account, "linkedin-genai-training-2025", "objection-form"])
        #expect(ack.status == 0, "\(ack.stderr)")
        let denied = try fixture.run(["status"])
        #expect(denied.status == 0, "\(denied.stderr)")
        for name in try FileManager.default.contentsOfDirectory(atPath: stateDirectory) {
            let attributes = try FileManager.default.attributesOfItem(atPath: stateDirectory + "/" + name)
            #expect(attributes[.ownerAccountID] as? Int == 65534, "\(name)")
        }
        let status = try fixture.run(["status", "--format", "json"])
        #expect(status.stdout.contains("\"done\":[\"objection-form\"]"))
    }
}
