import Foundation
import OptOutCore
import OptOutDaemon
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Faults injected for real: a second daemon, a store deleted or on a full file system,
/// hooks and webhooks that hang, hostile output, signals at awkward moments.
@Suite(.serialized, .enabled(if: hasTestJournal, "needs scripts/test-sandbox (make test)"))
struct FaultTests {
    let fixture: DaemonFixture

    init() throws {
        fixture = try DaemonFixture()
    }

    func script(_ name: String, _ body: String) throws -> String { try fixture.script(name, body) }

    func lines(_ name: String) -> Int {
        ((try? String(contentsOf: fixture.directory.appendingPathComponent(name), encoding: .utf8)) ?? "")
            .split(separator: "\n").count
    }

    func wait(timeout: Duration = .seconds(15), until condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            if ContinuousClock.now > deadline { return false }
            usleep(50_000)
        }
        return true
    }

    func hookConfig(_ hook: String, accounts: Int = 1, timeout: String = "30s", extra: String = "") throws {
        let accountLines = (0..<accounts).map { "  - {id: \(fixture.account("a\($0)")), region: DE}" }
        try fixture.writeConfig(
            accounts: accountLines.joined(separator: "\n"),
            extra: "channels:\n  hooks:\n    - {name: ticket, command: [\"\(hook)\"], timeout: \(timeout)}\n" + extra)
    }

    @Test func oneInstancePerStore() throws {
        try fixture.writeConfig(accounts: "  - {id: \(fixture.account("solo")), region: DE}")
        let daemon = try fixture.start()
        defer { daemon.stop() }
        #expect(wait { FileManager.default.fileExists(atPath: fixture.statePath + ".lock") && lines("x") == 0 })
        try fixture.waitForNotices { $0.count >= 1 }
        let second = try fixture.run(["run"])
        #expect(second.status == 75)
        #expect(second.stderr.contains("in use by process \(daemon.processIdentifier)"), "\(second.stderr)")
        let once = try fixture.run(["run", "--once"])
        #expect(once.status == 75)
        // Through a link to the store, it is the same store.
        let symbolicLink = fixture.directory.appendingPathComponent("link.sqlite").path
        #expect(symlink(fixture.statePath, symbolicLink) == 0)
        let linked = try Optoutd.run(["run", "--once", "--config", fixture.configPath, "--state", symbolicLink])
        #expect(linked.status == 75, "\(linked.stderr)")
        // A hard link is another name for the same file, with a lock file of its own.
        let hardLink = fixture.directory.appendingPathComponent("hard-link.sqlite").path
        #expect(link(fixture.statePath, hardLink) == 0)
        let hardLinked = try Optoutd.run(["run", "--once", "--config", fixture.configPath, "--state", hardLink])
        #expect(hardLinked.status == 75, "\(hardLinked.stderr)")
        #expect(hardLinked.stderr.contains("in use by another process (lock \(hardLink))"), "\(hardLinked.stderr)")
        // The lock file it made for that name is gone again.
        #expect(!FileManager.default.fileExists(atPath: hardLink + ".lock"))
        // The other commands work beside it.
        #expect(try Optoutd.run(["check", "--config", fixture.configPath]).status == 0)
        #expect(try fixture.run(["plan", "--days", "1"]).status == 0)
        let status = try fixture.run(["status"])
        #expect(status.status == 0)
        #expect(status.stdout.contains("daemon: running as process \(daemon.processIdentifier)"), "\(status.stdout)")
        #expect(try fixture.run(["ack", fixture.account("solo"), "linkedin-genai-training-2025"]).status == 0)
    }

    @Test func ackNeedsAStoreThatExistsAndCreatesOnlyPrivateFiles() throws {
        try fixture.writeConfig(accounts: "  - {id: \(fixture.account("acker")), region: DE}")
        let arguments = ["ack", fixture.account("acker"), "linkedin-genai-training-2025"]
        let refused = try fixture.run(arguments)
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("no state store at \(fixture.statePath)"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fixture.statePath))
        // Whatever the umask it is started with.
        let old = umask(0)
        defer { umask(old) }
        #expect(try fixture.run(arguments + ["--create"]).status == 0)
        func mode(_ path: String) -> mode_t {
            var status = stat()
            return stat(path, &status) == 0 ? status.st_mode & 0o777 : 0
        }
        #expect(mode((fixture.statePath as NSString).deletingLastPathComponent) == 0o700)
        for suffix in ["", "-wal", "-shm", ".ack"]
        where FileManager.default.fileExists(atPath: fixture.statePath + suffix) {
            #expect(mode(fixture.statePath + suffix) == 0o600, "\(suffix)")
        }
    }

    /// Twenty commands making a fresh store at once: every one succeeds and no ack is lost.
    @Test func concurrentCreationLosesNothing() throws {
        let ids = (0..<20).map { fixture.account("c\($0)") }
        try fixture.writeConfig(accounts: ids.map { "  - {id: \($0), region: DE}" }.joined(separator: "\n"))
        let processes = try ids.map { id -> Process in
            let process = Process()
            process.executableURL = Optoutd.executable
            process.arguments = [
                "ack", id, "linkedin-genai-training-2025", "--create", "--config", fixture.configPath, "--state",
                fixture.statePath,
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        processes.forEach { $0.waitUntilExit() }
        #expect(processes.map(\.terminationStatus) == Array(repeating: 0, count: 20))
        let status = try fixture.run(["status", "--format", "json"])
        let rows = try #require(JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [[String: Any]])
        #expect(rows.filter { ($0["pending"] as? [String])?.isEmpty == true }.count == 20)
    }

    @Test func aDeletedStoreStopsDeliveriesUntilARestart() throws {
        let hook = try script("hook.sh", "echo run >> \(fixture.directory.path)/runs; cat >/dev/null")
        try hookConfig(hook)
        let notify = try NotifySocket()
        let daemon = try fixture.start(environment: ["NOTIFY_SOCKET": notify.path])
        defer { daemon.stop() }
        #expect(wait { lines("runs") == 1 })
        try FileManager.default.removeItem(atPath: fixture.statePath)
        // An ack (here, the file it writes) makes the daemon look at its store.
        try Data("1\n".utf8).write(to: URL(fileURLWithPath: fixture.statePath + ".ack"))
        let entries = try fixture.waitForEntries([
            "MESSAGE_ID=\(MessageID.storeFailing)", "_PID=\(daemon.processIdentifier)",
        ])
        #expect(entries.first?["PRIORITY"] == "3")
        #expect(entries.first?["MESSAGE"]?.contains("deleted or replaced") == true)
        let messages = notify.wait { $0.contains("STATUS=") && $0.contains("deleted or replaced") }
        #expect(messages.contains { $0.contains("deliveries stopped until optoutd is restarted") })
        #expect(daemon.isRunning)
    }

    /// The hook fills the file system under the store as it delivers: marking the delivery
    /// done fails. Deliveries pause with back-off (one error per try, not one per delivery),
    /// and once there is room again each notice is delivered at most once more.
    @Test func aStoreThatCannotBeWrittenPausesDeliveries() throws {
        let state = (fixture.statePath as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        #expect(try Optoutd.runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", state]).status == 0)
        defer { _ = try? Optoutd.runTool("/bin/umount", ["-l", state]) }
        let hook = try script(
            "hook.sh",
            """
            cat >/dev/null
            echo run >> \(fixture.directory.path)/runs
            if [ ! -e \(fixture.directory.path)/filled ]; then
                touch \(fixture.directory.path)/filled
                dd if=/dev/zero of=\(state)/fill bs=64k 2>/dev/null
            fi
            exit 0
            """)
        try hookConfig(hook, accounts: 3)
        let notify = try NotifySocket()
        let daemon = try fixture.start(environment: ["NOTIFY_SOCKET": notify.path])
        defer { daemon.stop() }
        let paused = notify.wait(timeout: .seconds(20)) { $0.contains("cannot be written") }
        #expect(paused.contains { $0.contains("deliveries paused") })
        sleep(3)
        #expect(lines("runs") <= 3, "the hook ran \(lines("runs")) times while the store was full")
        let status = try fixture.run(["status"])
        #expect(status.stdout.contains("state store cannot be written"), "\(status.stdout)")
        let errors = try fixture.entries(["MESSAGE_ID=\(MessageID.storeFailing)", "_PID=\(daemon.processIdentifier)"])
        #expect((1...3).contains(errors.count), "\(errors.count) error entries")
        // Room again: every notice reaches the hook, at most once more than it did.
        try FileManager.default.removeItem(atPath: state + "/fill")
        #expect(wait(timeout: .seconds(30)) { (try? fixture.run(["status"]).stdout.contains("outbox")) == false })
        #expect((3...6).contains(lines("runs")), "the hook ran \(lines("runs")) times for 3 notices")
        // The recovery is an entry of its own, not another "cannot be written".
        #expect(
            wait {
                (try? fixture.entries(["MESSAGE_ID=\(MessageID.storeRecovered)", "_PID=\(daemon.processIdentifier)"]))?
                    .isEmpty == false
            })
    }

    @Test func sigtermEndsAHangingHookWithinFiveSeconds() throws {
        let hook = try script("hook.sh", "echo $$ > \(fixture.directory.path)/pid\nexec sleep 600")
        try hookConfig(hook, timeout: "10m")
        let daemon = try fixture.start()
        #expect(wait { lines("pid") == 1 })
        let started = ContinuousClock.now
        #expect(daemon.stop() == 0)
        #expect(ContinuousClock.now - started < .seconds(5))
        let pid = Int32(
            (try String(contentsOf: fixture.directory.appendingPathComponent("pid"), encoding: .utf8))
                .trimmingCharacters(in: .whitespacesAndNewlines))!
        #expect(wait(timeout: .seconds(2)) { !isRunning(pid) }, "the hook's process is still there")
        // Its delivery waits for the next start.
        #expect(try fixture.run(["status"]).stdout.contains("outbox: 1 waiting for ticket"))
    }

    /// A webhook that never answers (timeout 10 minutes) holds up neither the journal nor
    /// an acknowledgement, and SIGTERM still ends the transfer at once.
    @Test func aHangingWebhookHoldsUpNothingElse() throws {
        let received = try fixture.subdirectory("silent")
        let server = try LocalServer(script: "silent_server.py", [received.path])
        let account = fixture.account("hung")
        try fixture.writeConfig(
            accounts: "  - {id: \(account), region: DE}",
            extra: "channels:\n  webhooks:\n    - {name: slow, url: \"http://127.0.0.1:\(server.port)/\", timeout: 10m}"
        )
        let daemon = try fixture.start()
        try fixture.waitForNotices { $0.contains { $0["OPTOUT_EVENT"] == "policy-applies" } }
        #expect(wait { lines("silent/connections") >= 1 })
        #expect(try fixture.run(["ack", account, "linkedin-genai-training-2025"]).status == 0)
        let acked = ContinuousClock.now
        let notices = try fixture.waitForNotices(timeout: .seconds(5)) {
            $0.contains { $0["OPTOUT_EVENT"] == "opted-out" }
        }
        #expect(notices.contains { $0["OPTOUT_EVENT"] == "opted-out" })
        #expect(ContinuousClock.now - acked < .seconds(5))
        let stopping = ContinuousClock.now
        #expect(daemon.stop() == 0)
        #expect(ContinuousClock.now - stopping < .seconds(5))
    }

    /// A document larger than a pipe holds, to a hook that never reads it; a flood of
    /// output; a child left in the background. Each delivery ends when the hook does, and
    /// the journal gets a bounded number of lines.
    @Test func hostileHooksEndWhenTheyExitAndLogLittle() throws {
        let big = (0..<80).map { "      - \"\(String(repeating: "d", count: 1000))\($0)\"" }.joined(separator: "\n")
        let hook = try script(
            "hook.sh",
            """
            echo run >> \(fixture.directory.path)/runs
            seq 1 200000
            head -c 3000000 /dev/zero | tr '\\0' x
            sleep 1000 &
            echo $! > \(fixture.directory.path)/child
            exit 0
            """)
        try hookConfig(
            hook, timeout: "10m",
            extra: """
                policies:
                  - id: big-policy
                    platform: linkedin
                    title: A policy with a large document
                    effective: 2030-01-01
                    regions: [DE]
                    actions: [{id: big-toggle, title: Toggle, where: Settings}]
                    data_used:
                \(big)
                """)
        let started = ContinuousClock.now
        let result = try fixture.runOnce()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(ContinuousClock.now - started < .seconds(20))
        #expect(lines("runs") == 2)  // two policies, two notices
        let logged = try fixture.entries(["OPTOUT_HOOK=ticket"]).filter {
            $0["OPTOUT_ACCOUNT"]?.hasPrefix(fixture.tag) == true
        }
        #expect(logged.count <= 2 * 65, "\(logged.count) entries")
        #expect(logged.contains { $0["MESSAGE"]?.contains("more lines") == true })
        let child = Int32(
            (try String(contentsOf: fixture.directory.appendingPathComponent("child"), encoding: .utf8))
                .trimmingCharacters(in: .whitespacesAndNewlines))!
        #expect(wait(timeout: .seconds(5)) { !isRunning(child) }, "the hook's background child is still running")
    }

    /// SIGHUP while a large configuration is still loading: a reload once it is up, not
    /// the end of the process.
    @Test func aSignalDuringStartIsHandled() throws {
        let inventory = (0..<200_000).map { "\(fixture.tag)-s\($0),DE" }.joined(separator: "\n")
        try ("id,region\n" + inventory + "\n").write(
            to: fixture.directory.appendingPathComponent("many.csv"), atomically: true, encoding: .utf8)
        try fixture.writeConfig(
            accounts: "  - {id: \(fixture.account("first")), region: DE}", extra: "accounts_files: [many.csv]")
        let notify = try NotifySocket()
        let daemon = try fixture.start(environment: ["NOTIFY_SOCKET": notify.path])
        // As the daemon reads its 200,000 accounts (a signal before the process even reaches
        // its own code is the kernel's to handle, whatever the program does).
        usleep(300_000)
        #expect(
            !notify.messages.contains { $0.contains("READY=1") }, "loaded before the signal: the test proves nothing")
        kill(daemon.processIdentifier, SIGHUP)
        let messages = notify.wait(timeout: .seconds(30)) { $0.contains("READY=1") }
        #expect(messages.contains { $0.contains("READY=1") })
        #expect(daemon.isRunning)
        #expect(daemon.stop() == 0)
    }

    /// Nothing scheduled: the timer is disarmed, not set to a far instant that would come.
    @Test func anIdleDaemonDisarmsItsTimer() throws {
        try fixture.writeConfig(
            accounts:
                "  - {id: \(fixture.account("done")), region: DE, done: [linkedin-genai-training-2025]}")
        let daemon = try fixture.start()
        defer { daemon.stop() }
        #expect(wait { fixture.timerValues(of: daemon.processIdentifier) == ["(0, 0)"] })
    }
}

/// Whether process `pid` exists and has not exited (a zombie waiting to be reaped has).
func isRunning(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return false }
    return stat[stat.index(close, offsetBy: 2)] != "Z"
}

extension DaemonFixture {
    /// Journal entries matching `filters`, once there is one.
    func waitForEntries(_ filters: [String], timeout: Duration = .seconds(15)) throws -> [[String: String]] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let found = try entries(filters)
            if !found.isEmpty || ContinuousClock.now > deadline { return found }
            usleep(100_000)
        }
    }

    /// The `it_value` of every timerfd process `pid` holds, as /proc shows it.
    func timerValues(of pid: Int32) -> [String] {
        let fds = "/proc/\(pid)/fd"
        return ((try? FileManager.default.contentsOfDirectory(atPath: fds)) ?? []).compactMap { fd in
            guard
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fds)/\(fd)")) == "anon_inode:[timerfd]",
                let info = try? String(contentsOfFile: "/proc/\(pid)/fdinfo/\(fd)", encoding: .utf8)
            else { return nil }
            return info.split(separator: "\n").first { $0.hasPrefix("it_value:") }.map {
                $0.dropFirst("it_value:".count).trimmingCharacters(in: .whitespaces)
            }
        }
    }
}
