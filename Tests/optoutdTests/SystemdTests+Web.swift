import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The confirmation pages' units: systemd listens, starts `optoutd serve` at the first
/// connection, and the service exits when idle, so that nothing runs between visits.
extension SystemdTests {
    @Test func theSocketStartsTheWebServiceAtTheFirstRequestAndItExitsWhenIdle() throws {
        let runtime = ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"] ?? "/run/user/0"
        let userUnits = runtime + "/systemd/user"
        defer {
            for name in ["optoutd-web.socket", "optoutd-web.service", "optoutd"] {
                _ = try? systemctl("stop", name)
                _ = try? systemctl("reset-failed", name)
            }
            for name in ["optoutd-web.socket", "optoutd-web.service"] {
                try? FileManager.default.removeItem(atPath: "\(userUnits)/\(name)")
                try? FileManager.default.removeItem(atPath: "\(userUnits)/\(name).d")
            }
            _ = try? systemctl("daemon-reload")
        }
        let port = EmailTests.freePort()
        let account = "\(tag)-web"
        try """
        version: 1
        timezone: Europe/Berlin
        defaults: {platform: linkedin}
        web: {base_url: "http://127.0.0.1:\(port)"}
        accounts:
          - {id: \(account), region: DE, email: web@example.org}
        """.write(toFile: configPath, atomically: true, encoding: .utf8)
        // The daemon makes the store (and the link key) in the state directory both share.
        try linkUnit()
        #expect(try systemctl("start", "optoutd").status == 0)
        #expect(try waitFor { try unitEntries(["OPTOUT_ACCOUNT=\(account)"]).contains("policy-applies") })
        let pid = try property("MainPID")
        let environment = try String(contentsOfFile: "/proc/\(pid)/environ", encoding: .utf8)
        let stateDirectory = try #require(
            environment.split(separator: "\0").first { $0.hasPrefix("STATE_DIRECTORY=") }?.dropFirst(16))

        for name in ["optoutd-web.socket", "optoutd-web.service"] {
            try? FileManager.default.removeItem(atPath: "\(userUnits)/\(name)")
            try FileManager.default.createSymbolicLink(atPath: "\(userUnits)/\(name)", withDestinationPath: unit(name))
            try FileManager.default.createDirectory(atPath: "\(userUnits)/\(name).d", withIntermediateDirectories: true)
        }
        // This test's port, and a short idle time; otherwise the units as shipped.
        try "[Socket]\nListenStream=\nListenStream=127.0.0.1:\(port)\n".write(
            toFile: "\(userUnits)/optoutd-web.socket.d/test.conf", atomically: true, encoding: .utf8)
        try """
        \(Self.userManagerDropIn)
        PrivateNetwork=no
        ExecStart=
        ExecStart=\(prefix)/bin/optoutd serve --config \(configPath) --idle-exit 2s
        """.write(toFile: "\(userUnits)/optoutd-web.service.d/test.conf", atomically: true, encoding: .utf8)
        #expect(try systemctl("daemon-reload").status == 0)
        #expect(try systemctl("start", "optoutd-web.socket").status == 0)
        func state(_ name: String) throws -> String {
            try systemctl("show", "-p", "ActiveState", "--value", name).stdout.trimmingCharacters(
                in: .whitespacesAndNewlines)
        }
        #expect(try state("optoutd-web.socket") == "active")
        #expect(try state("optoutd-web.service") == "inactive", "nothing runs before the first visit")

        let link = try Optoutd.run([
            "link", account, "--config", configPath, "--state", "\(stateDirectory)/state.sqlite",
        ])
        #expect(link.status == 0, "\(link.stderr)")
        let probe = Optoutd.repository.appendingPathComponent("Tests/support/web_probe.py").path
        func visit() throws -> [String: Any] {
            let result = try Optoutd.runTool(
                "/usr/bin/python3", [probe, "get", link.stdout.trimmingCharacters(in: .whitespacesAndNewlines)])
            #expect(result.status == 0, "\(result.stderr)")
            return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        }
        let first = try visit()
        #expect(first["status"] as? Int == 200)
        #expect((first["body"] as? String)?.contains(#"value="\#(account):objection-form""#) == true)
        #expect(try state("optoutd-web.service") == "active")

        // Idle: it exits cleanly while systemd keeps listening, and the next visit starts it again.
        #expect(try waitFor(.seconds(10)) { try state("optoutd-web.service") == "inactive" })
        #expect(
            try systemctl("show", "-p", "ExecMainStatus", "--value", "optoutd-web.service").stdout.hasPrefix("0"))
        #expect(try state("optoutd-web.socket") == "active")
        #expect(try visit()["status"] as? Int == 200)
        // Reloading the daemon reloads the running pages too (ReloadPropagatedFrom=).
        #expect(try systemctl("reload", "optoutd").status == 0)
        #expect(
            try waitFor {
                try tool("/usr/bin/journalctl", ["--no-pager", "-u", "optoutd-web", "-o", "cat"]).stdout.contains(
                    "configuration reloaded: serving for http://127.0.0.1:\(port)")
            })
    }
}
