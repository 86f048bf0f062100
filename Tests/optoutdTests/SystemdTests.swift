import Foundation
import OptOutDaemon
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Whether a systemd user manager is there for the tests (`scripts/test-sandbox`, as `make test` does).
let hasTestManager = ProcessInfo.processInfo.environment["OPTOUTD_TEST_SYSTEMD"] == "1"

/// The shipped units, installed with `scripts/install` and run under a real systemd (user) manager.
@Suite(.serialized, .enabled(if: hasTestManager, "needs scripts/test-sandbox (make test)"))
struct SystemdTests {
    /// What a user manager cannot apply (it fails them with status 226/NAMESPACE); the
    /// drop-in only switches these off. Everything else in the unit applies as shipped.
    static let userManagerDropIn = """
        [Service]
        DynamicUser=no
        User=
        ProtectHome=no
        PrivateTmp=no
        ProtectKernelTunables=no
        ProtectKernelLogs=no
        """

    let root: URL
    let prefix: String
    let configPath: String
    let tag = "s" + UUID().uuidString.prefix(8).lowercased()

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("optoutd-systemd-\(tag)")
        prefix = root.appendingPathComponent("usr").path
        configPath = root.appendingPathComponent("etc/optoutd/optoutd.yaml").path
        let install = try Optoutd.runTool(
            Optoutd.repository.appendingPathComponent("scripts/install").path, [Optoutd.executable.path],
            environment: ["PREFIX": prefix, "SYSCONFDIR": root.appendingPathComponent("etc").path])
        #expect(install.status == 0, "\(install.stderr)")
    }

    func unit(_ name: String) -> String { "\(prefix)/lib/systemd/system/\(name)" }

    func tool(_ path: String, _ arguments: [String]) throws -> Optoutd.Result {
        try Optoutd.runTool(path, arguments)
    }

    func systemctl(_ arguments: String...) throws -> Optoutd.Result {
        try tool("/usr/bin/systemctl", ["--user", "--no-pager"] + arguments)
    }

    func property(_ name: String) throws -> String {
        try systemctl("show", "-p", name, "--value", "optoutd").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func writeConfig(_ accounts: String) throws {
        try """
        version: 1
        timezone: Europe/Berlin
        defaults: {platform: linkedin}
        accounts:
        \(accounts)
        """.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// Journal entries written by the unit's processes, filtered further by `matches`.
    func unitEntries(_ matches: [String] = [], explain: Bool = false) throws -> String {
        try tool(
            "/usr/bin/journalctl", ["--no-pager", "-u", "optoutd"] + (explain ? ["-x"] : ["-o", "json"]) + matches
        ).stdout
    }

    func waitFor(_ timeout: Duration = .seconds(15), _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try condition() { return true }
            usleep(100_000)
        }
        return try condition()
    }

    /// Links the installed unit into the user manager with the drop-in, and reloads the manager.
    func linkUnit() throws {
        let runtime = ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"] ?? "/run/user/0"
        let userUnits = runtime + "/systemd/user"
        try FileManager.default.createDirectory(
            atPath: userUnits + "/optoutd.service.d", withIntermediateDirectories: true)
        _ = try? FileManager.default.removeItem(atPath: userUnits + "/optoutd.service")
        try FileManager.default.createSymbolicLink(
            atPath: userUnits + "/optoutd.service", withDestinationPath: unit("optoutd.service"))
        try Self.userManagerDropIn.write(
            toFile: userUnits + "/optoutd.service.d/user-manager.conf", atomically: true, encoding: .utf8)
        #expect(try systemctl("daemon-reload").status == 0)
    }

    @Test func mailWebhooksAndHooksWorkUnderTheHardenedUnit() throws {
        defer {
            _ = try? systemctl("stop", "optoutd")
            _ = try? systemctl("reset-failed", "optoutd")
        }
        let mailbox = root.appendingPathComponent("mailbox")
        let requests = root.appendingPathComponent("requests")
        try FileManager.default.createDirectory(at: mailbox, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: requests, withIntermediateDirectories: true)
        let smtp = try LocalServer(script: "smtp_server.py", [mailbox.path])
        let http = try LocalServer(script: "http_server.py", [requests.path, "204"])
        let hook = root.appendingPathComponent("hook.sh").path
        // The unit's file system is read-only (ProtectSystem=strict): the hook reports on stdout.
        try "#!/bin/sh\necho \"ticket for $OPTOUT_ACCOUNT\"\n".write(toFile: hook, atomically: true, encoding: .utf8)
        chmod(hook, 0o755)
        let account = "\(tag)-channels"
        try """
        version: 1
        timezone: Europe/Berlin
        defaults: {platform: linkedin}
        channels:
          email: {from: privacy@example.org, transport: "smtp://127.0.0.1:\(smtp.port)", starttls: off}
          hooks: [{name: ticket, command: ["\(hook)"], timeout: 10s}]
          webhooks: [{name: chat, url: "http://127.0.0.1:\(http.port)/optoutd"}]
        accounts:
          - {id: \(account), region: SI, email: owner@example.org}
        """.write(toFile: configPath, atomically: true, encoding: .utf8)
        try linkUnit()
        let start = try systemctl("start", "optoutd")
        #expect(start.status == 0, "\(start.stderr)")
        #expect(
            try waitFor {
                try FileManager.default.contentsOfDirectory(atPath: mailbox.path).contains { $0.hasSuffix(".eml") }
            })
        #expect(try waitFor { !(try FileManager.default.contentsOfDirectory(atPath: requests.path)).isEmpty })
        #expect(try waitFor { try unitEntries(["OPTOUT_HOOK=ticket"]).contains("ticket: ticket for \(account)") })
        #expect(try unitEntries(["MESSAGE_ID=\(MessageID.channelFailing)"]).isEmpty)
        #expect(try property("ActiveState") == "active")
    }

    @Test func theUnitsVerifyAndTheServiceIsHardened() throws {
        let verify = try tool(
            "/usr/bin/systemd-analyze",
            [
                "verify", "--man=no", unit("optoutd.service"), unit("optoutd-once.service"), unit("optoutd-once.timer"),
                unit("optoutd-metrics.service"), unit("optoutd-metrics.timer"), unit("optoutd-web.socket"),
                unit("optoutd-web.service"),
            ])
        #expect(verify.status == 0, "\(verify.stderr)")
        for name in ["optoutd.service", "optoutd-once.service", "optoutd-metrics.service", "optoutd-web.service"] {
            let security = try tool(
                "/usr/bin/systemd-analyze", ["security", "--offline=true", "--no-pager", unit(name)])
            let overall = security.stdout.split(separator: "\n").first { $0.contains("Overall exposure level") }
            let score = overall.flatMap { line in line.split(separator: ":").last?.split(separator: " ").first }.flatMap
            { Double($0) }
            #expect(score != nil && score! <= 1.5, "\(name): \(overall ?? "no rating")")
        }
        let service = try String(contentsOfFile: unit("optoutd.service"), encoding: .utf8)
        #expect(service.contains("ExecStart=\(prefix)/bin/optoutd run --config \(configPath)\n"))
        for line in [
            "Type=notify", "ExecReload=/bin/kill -HUP $MAINPID", "Restart=on-failure", "RestartPreventExitStatus=75 78",
            "StateDirectory=optoutd", "ConfigurationDirectory=optoutd", "DynamicUser=yes", "WatchdogSec=",
        ] {
            #expect(service.contains(line), "\(line)")
        }
        let timer = try String(contentsOfFile: unit("optoutd-once.timer"), encoding: .utf8)
        #expect(timer.contains("Persistent=true"))
        // The metrics are written whole as the daemon's user, then renamed into the collector's directory.
        let metrics = try String(contentsOfFile: unit("optoutd-metrics.service"), encoding: .utf8)
        for line in [
            "ExecStart=\(prefix)/bin/optoutd report --format prometheus --config \(configPath) --output %S/optoutd/optoutd.prom\n",
            "StateDirectory=optoutd", "DynamicUser=yes", "PrivateNetwork=yes",
            "mv -f /var/lib/prometheus/node-exporter/.optoutd.prom.tmp /var/lib/prometheus/node-exporter/optoutd.prom'",
        ] {
            #expect(metrics.contains(line), "\(line)")
        }
    }

    /// The user unit, as one person runs it with `systemctl --user`: no drop-in, the
    /// configuration in the manager's configuration directory (%E), the state in
    /// ~/.local/state whatever the systemd version.
    @Test func theUserUnitRunsFromTheUsersOwnDirectories() throws {
        let name = "optoutd-user.service"
        let installed = "\(prefix)/lib/systemd/user/\(name)"
        let verify = try tool("/usr/bin/systemd-analyze", ["--user", "verify", "--man=no", installed])
        #expect(verify.status == 0, "\(verify.stderr)")

        let runtime = ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"] ?? "/run/user/0"
        let link = runtime + "/systemd/user/" + name
        _ = try? FileManager.default.removeItem(atPath: link)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: installed)
        #expect(try systemctl("daemon-reload").status == 0)
        defer {
            _ = try? systemctl("stop", name)
            _ = try? systemctl("reset-failed", name)
            _ = try? FileManager.default.removeItem(atPath: link)
        }

        // Where the manager put %E and %S, as it expanded them in ExecStart=.
        let execStart = try systemctl("show", "-p", "ExecStart", "--value", name).stdout
        func argument(after option: String) -> String? {
            let words = execStart.split(separator: " ")
            return words.firstIndex(of: Substring(option)).map { String(words[$0 + 1]) }
        }
        let config = try #require(argument(after: "--config"), "\(execStart)")
        let state = try #require(argument(after: "--state"), "\(execStart)")
        #expect(config.hasSuffix("/optoutd/optoutd.yaml") && !config.contains("%"), "\(config)")
        let home = FileManager.default.homeDirectoryForCurrentUser.path
        #expect(state == home + "/.local/state/optoutd/state.sqlite", "\(state)")

        let account = "\(tag)-own"
        try FileManager.default.createDirectory(
            atPath: (config as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: config) }
        try """
        version: 1
        timezone: Europe/Berlin
        defaults: {platform: linkedin}
        accounts:
          - {id: \(account), region: AT}
        """.write(toFile: config, atomically: true, encoding: .utf8)

        let start = try systemctl("start", name)
        #expect(start.status == 0, "\(start.stderr)")
        #expect(try systemctl("show", "-p", "ActiveState", "--value", name).stdout.hasPrefix("active"))
        let entries = {
            try tool("/usr/bin/journalctl", ["--no-pager", "-o", "json", "OPTOUT_ACCOUNT=\(account)"]).stdout
        }
        #expect(try waitFor { try entries().contains("policy-applies") })
        let entry = try #require(
            try entries().split(separator: "\n").compactMap {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }.first)
        // A user manager without cgroups of its own runs its units in the system's: either field.
        let unitField = (entry["_SYSTEMD_USER_UNIT"] ?? entry["_SYSTEMD_UNIT"]) as? String
        #expect(unitField == name)
        #expect(entry["OPTOUT_POLICY"] as? String == "linkedin-genai-training-2025")
        #expect(FileManager.default.fileExists(atPath: state))

        #expect(try systemctl("stop", name).status == 0)
        #expect(try systemctl("show", "-p", "ExecMainStatus", "--value", name).stdout.hasPrefix("0"))
    }

    @Test func startNoticeReloadStopAndNoRestartLoop() throws {
        defer {
            _ = try? systemctl("stop", "optoutd")
            _ = try? systemctl("reset-failed", "optoutd")
        }
        let alice = "\(tag)-alice"
        let bob = "\(tag)-bob"
        try writeConfig("  - {id: \(alice), region: DE}")
        try linkUnit()
        // The journal catalog, as `make install` + `journalctl --update-catalog` would set it up.
        try? FileManager.default.removeItem(atPath: "/usr/lib/systemd/catalog/optoutd.catalog")
        try FileManager.default.copyItem(
            atPath: "\(prefix)/lib/systemd/catalog/optoutd.catalog", toPath: "/usr/lib/systemd/catalog/optoutd.catalog")
        #expect(try tool("/usr/bin/journalctl", ["--update-catalog"]).status == 0)

        // Start returns once READY=1 came: the unit is active and shows its STATUS= text.
        let start = try systemctl("start", "optoutd")
        #expect(start.status == 0, "\(start.stderr)")
        #expect(try property("ActiveState") == "active")
        #expect(try property("StatusText").hasPrefix("1 account, 19 policies, 1 pending pair; next: "))
        let status = try systemctl("status", "optoutd")
        #expect(status.stdout.contains("Status: \"1 account, 19 policies"))

        // The notice due now, under the unit, with every field; -x explains it from the catalog.
        #expect(try waitFor { try unitEntries(["OPTOUT_ACCOUNT=\(alice)"]).contains("policy-applies") })
        let entry = try #require(
            try unitEntries(["OPTOUT_ACCOUNT=\(alice)"]).split(separator: "\n").compactMap {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }.first)
        for field in DaemonTests.noticeFields { #expect(entry[field] != nil, "\(field)") }
        #expect(entry["_SYSTEMD_UNIT"] as? String == "optoutd.service")
        let explained = try unitEntries(["OPTOUT_ACCOUNT=\(alice)"], explain: true)
        #expect(explained.contains("Policy linkedin-genai-training-2025 applies to account \(alice)"), "\(explained)")
        #expect(explained.contains("optoutd ack \(alice) linkedin-genai-training-2025"))

        // Reload with a broken configuration: still active, an error entry names the place.
        try "version: 1\nbogus: 1\n".write(toFile: configPath, atomically: true, encoding: .utf8)
        #expect(try systemctl("reload", "optoutd").status == 0)
        #expect(
            try waitFor {
                try unitEntries(["MESSAGE_ID=\(MessageID.configurationRejected)"]).contains(
                    "optoutd.yaml:2:1: error: unknown key 'bogus'")
            })
        #expect(try property("ActiveState") == "active")
        #expect(try waitFor { try property("StatusText").contains("reload rejected (1 error)") })

        // Reload with a good one that adds an account: its policy-applies arrives.
        try writeConfig("  - {id: \(alice), region: DE}\n  - {id: \(bob), region: IE}")
        #expect(try systemctl("reload", "optoutd").status == 0)
        #expect(try waitFor { try unitEntries(["OPTOUT_ACCOUNT=\(bob)"]).contains("policy-applies") })
        #expect(try property("ActiveState") == "active")

        // Stop: a clean exit, after the stopping entry.
        #expect(try systemctl("stop", "optoutd").status == 0)
        #expect(try property("ActiveState") == "inactive")
        #expect(try property("ExecMainStatus") == "0")
        #expect(try unitEntries(["MESSAGE_ID=\(MessageID.stopping)"]).contains("optoutd stopping"))

        // An invalid configuration at start: exit 78, and no restart loop.
        try "version: 1\nbogus: 1\n".write(toFile: configPath, atomically: true, encoding: .utf8)
        #expect(try systemctl("start", "optoutd").status != 0)
        #expect(try property("ExecMainStatus") == "78")
        usleep(6_500_000)  // longer than RestartSec=5s
        #expect(try property("NRestarts") == "0")
        #expect(try property("ActiveState") == "failed")
    }
}
