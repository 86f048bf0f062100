import Foundation
import OptOutCore
import OptOutDaemon
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Values that used to crash a command, reach a protocol line, or be refused without a
/// word, as the built binary meets them.
@Suite(.serialized, .enabled(if: hasTestJournal, "needs scripts/test-sandbox (make test)"))
struct HostileInputTests {
    let fixture: DaemonFixture

    /// Runs optoutd as the user nobody, who may read only what everybody may.
    func asNobody(_ arguments: [String], environment: [String: String] = [:]) throws -> Optoutd.Result {
        try Optoutd.runTool(
            "/usr/bin/setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", Optoutd.executable.path] + arguments,
            environment: environment)
    }

    /// A configuration with one account and a store with its pair, in a folder and a
    /// configuration every user may read; returns the account and the store's folder.
    func storeOthersMayReach(_ name: String) throws -> (account: String, state: String) {
        let account = fixture.account(name)
        try fixture.writeConfig(accounts: "  - {id: \(account), region: DE}")
        #expect(try fixture.runOnce().status == 0)
        chmod(fixture.directory.path, 0o755)
        chmod(fixture.configPath, 0o644)
        return (account, (fixture.statePath as NSString).deletingLastPathComponent)
    }

    init() throws {
        fixture = try DaemonFixture()
    }

    static let overflowingHook =
        "channels:\n  hooks:\n    - {name: h, command: [/bin/true], timeout: 99999999999999999h}"

    @Test func overflowingValuesAreConfigurationErrorsNotCrashes() throws {
        try fixture.writeConfig(accounts: "  - {id: \(fixture.account("a")), region: DE}", extra: Self.overflowingHook)
        let check = try Optoutd.run(["check", "--config", fixture.configPath])
        #expect(check.status == 78)
        #expect(check.stderr.contains("optoutd.yaml:6:48: error: timeout must be a duration"), "\(check.stderr)")
        try fixture.writeConfig(accounts: "  - {id: \(fixture.account("a")), region: DE}")
        for days in ["999999999999999", "3661"] {
            let plan = try Optoutd.run(["plan", "--config", fixture.configPath, "--days", days])
            #expect(plan.status == 64)
            #expect(plan.stderr.contains("--days must be at most 3660"), "\(plan.stderr)")
        }
        let backwards = try Optoutd.run(["plan", "--config", fixture.configPath, "--days", "-1"])
        #expect(backwards.status == 64)
        #expect(backwards.stderr.contains("--days must be zero or more: a plan looks ahead"), "\(backwards.stderr)")
        let farFuture = try Optoutd.run(["plan", "--config", fixture.configPath, "--now", "0000-01-01"])
        #expect(farFuture.status == 64)
    }

    @Test func aReloadWithAnOverflowingValueIsRejectedAndTheDaemonGoesOn() throws {
        try fixture.writeConfig(accounts: "  - {id: \(fixture.account("a")), region: DE}")
        let daemon = try fixture.start()
        defer { daemon.stop() }
        try fixture.waitForNotices { !$0.isEmpty }
        try fixture.writeConfig(accounts: "  - {id: \(fixture.account("a")), region: DE}", extra: Self.overflowingHook)
        kill(daemon.processIdentifier, SIGHUP)
        let rejected = try fixture.waitForEntries([
            "MESSAGE_ID=\(MessageID.configurationRejected)", "_PID=\(daemon.processIdentifier)",
        ])
        #expect(rejected.first?["MESSAGE"]?.contains("timeout must be a duration") == true)
        #expect(daemon.isRunning)
    }

    /// Swift reads "\r\n" as one Character, so a check for "\r" or "\n" let it through and
    /// the value became a second header.
    @Test func aCredentialWithALineBreakNeverBecomesAHeader() throws {
        let received = try fixture.subdirectory("received")
        let server = try LocalServer(script: "http_server.py", [received.path, "200"])
        try fixture.writeCredential("token", "Bearer abc\r\nX-Injected: yes")
        try fixture.writeConfig(
            accounts: "  - {id: \(fixture.account("w")), region: DE}",
            extra: """
                channels:
                  webhooks:
                    - name: chat
                      url: http://127.0.0.1:\(server.port)/hook
                      headers: [{name: Authorization, credential: token}]
                """)
        let result = try Optoutd.run(
            ["test-notify", "--channel", "chat", "--config", fixture.configPath],
            environment: ["CREDENTIALS_DIRECTORY": fixture.credentials.path])
        #expect(result.status == 69)
        #expect(result.stdout.contains("credential 'token' holds a control character"), "\(result.stdout)")
        #expect(!result.stdout.contains("abc"))  // never the secret
        #expect(try FileManager.default.contentsOfDirectory(atPath: received.path).isEmpty)
    }

    /// Without libcurl (here hidden by a mount in a namespace of its own), a transfer fails
    /// with a clear error; nothing crashes, and a sendmail transport needs no libcurl.
    @Test func withoutLibcurlATransferFailsClearly() throws {
        let sendmail = try fixture.script("sendmail", "cat > \(fixture.directory.path)/mail")
        try fixture.writeConfig(
            accounts: "  - {id: \(fixture.account("c")), region: DE, email: c@example.org}",
            extra: """
                channels:
                  email: {from: optoutd@example.org, transport: "sendmail:\(sendmail)"}
                  webhooks:
                    - {name: chat, url: "http://127.0.0.1:9/hook"}
                """)
        let library = "/lib/x86_64-linux-gnu/libcurl.so.4"
        let command =
            "mount --bind /dev/null \(library) && exec \(Optoutd.executable.path) test-notify --config \(fixture.configPath)"
        let result = try Optoutd.runTool(
            "/usr/bin/unshare", ["--mount", "--propagation", "private", "/bin/sh", "-c", command])
        #expect(result.status == 69, "\(result.stdout) \(result.stderr)")
        #expect(
            result.stdout.contains("email (c@example.org): ok") || result.stdout.contains("email: ok"),
            "\(result.stdout)")
        #expect(result.stdout.contains("chat: failed: webhook chat: libcurl (libcurl.so.4) cannot be loaded"))
    }

    /// SQLite waits forever for a writer on a FIFO: every command that opens the store
    /// refuses anything but a file, at once.
    @Test func aStoreThatIsNotAFileIsRefusedAtOnce() throws {
        try fixture.writeConfig(accounts: "  - {id: \(fixture.account("f")), region: DE}")
        let fifo = fixture.directory.appendingPathComponent("state.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let folder = try fixture.subdirectory("state.d").path
        let commands = [
            ["status"], ["plan", "--days", "1"], ["report"], ["run", "--once"],
            ["ack", fixture.account("f"), "linkedin-genai-training-2025"],
        ]
        for (store, kind) in [(fifo, "a FIFO"), (folder, "a folder")] {
            for command in commands {
                let result = try Optoutd.runTool(
                    "/usr/bin/timeout",
                    ["20", Optoutd.executable.path] + command + ["--config", fixture.configPath, "--state", store])
                #expect(result.status == 1, "\(command) on \(kind): \(result.stderr)")
                #expect(
                    result.stderr.contains("state store \(store): it is \(kind), not a file"),
                    "\(command) on \(kind): \(result.stderr)")
            }
        }
    }

    /// A store that is there but cannot be reached is not "no store": read as empty, it would
    /// show every action as pending and plan reminders the daemon never sends.
    @Test func aStoreThatCannotBeReachedIsAnError() throws {
        let (account, state) = try storeOthersMayReach("u")
        chmod(state, 0o700)
        let loop = fixture.directory.appendingPathComponent("loop.sqlite").path
        try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: loop)
        let commands = [
            ["status"], ["plan", "--days", "1"], ["report"], ["ack", account, "linkedin-genai-training-2025"],
        ]
        for command in commands {
            let hidden = try asNobody(command + ["--config", fixture.configPath, "--state", fixture.statePath])
            #expect(hidden.status == 1, "\(command): \(hidden.stdout)")
            #expect(
                hidden.stderr.contains(
                    "cannot reach the state store at \(fixture.statePath): Permission denied (run as a user who may read it, such as with sudo)"
                ),
                "\(command): \(hidden.stderr)")
            #expect(!hidden.stdout.contains("pending"))
            let looped = try Optoutd.run(command + ["--config", fixture.configPath, "--state", loop])
            #expect(looped.status == 1, "\(command): \(looped.stderr)")
            #expect(
                looped.stderr.contains("cannot reach the state store at \(loop): Too many levels of symbolic links"))
        }
    }

    /// A policies.d the user may not list is an error, not an empty folder; and `catalog`
    /// shows the shipped catalog only when there is no configuration, not when it cannot
    /// be read.
    @Test func foldersAndConfigurationsThatCannotBeReadAreErrors() throws {
        try fixture.writeConfig(accounts: "  - {id: \(fixture.account("p")), region: DE}")
        let overrides = fixture.directory.appendingPathComponent("policies.d").path
        try FileManager.default.createDirectory(atPath: overrides, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: overrides + "/fix.yaml", contents: Data("[]\n".utf8))
        chmod(fixture.directory.path, 0o755)
        chmod(fixture.configPath, 0o644)
        chmod(overrides, 0o700)
        let check = try asNobody(["check", "--config", fixture.configPath])
        #expect(check.status == 78, "\(check.stdout)")
        #expect(check.stderr.contains("\(overrides):1:1: error: cannot read \(overrides): Permission denied"))
        chmod(overrides, 0o755)
        #expect(try asNobody(["check", "--config", fixture.configPath]).status == 0)

        let hidden = fixture.directory.appendingPathComponent("hidden").path
        try FileManager.default.createDirectory(atPath: hidden, withIntermediateDirectories: true)
        try "version: 1\ncatalog: {builtin: false}\naccounts: []\n".write(
            toFile: hidden + "/optoutd.yaml", atomically: true, encoding: .utf8)
        chmod(hidden, 0o700)
        let catalog = try asNobody(["catalog", "--platforms"], environment: ["CONFIGURATION_DIRECTORY": hidden])
        #expect(catalog.status == 78, "\(catalog.stdout)")
        #expect(catalog.stderr.contains("permission denied"), "\(catalog.stderr)")
        let unconfigured = try asNobody(
            ["catalog", "--platforms"], environment: ["CONFIGURATION_DIRECTORY": fixture.directory.path + "/none"])
        #expect(unconfigured.status == 0 && unconfigured.stdout.contains("linkedin"), "\(unconfigured.stderr)")
    }

    /// `plan` and `status` only read: they work for a user who may only read the store, and
    /// an empty store file stays empty.
    @Test func plansAndStatusOnlyRead() throws {
        let (account, state) = try storeOthersMayReach("r")
        chmod(state, 0o755)
        chmod(fixture.statePath, 0o644)
        for (command, shows) in [(["status"], account), (["plan", "--days", "1"], "ACCOUNT")] {
            let result = try asNobody(command + ["--config", fixture.configPath, "--state", fixture.statePath])
            #expect(result.status == 0, "\(command): \(result.stderr)")
            #expect(result.stdout.contains(shows))
        }
        let empty = fixture.directory.appendingPathComponent("empty.sqlite").path
        FileManager.default.createFile(atPath: empty, contents: nil)
        let plan = try Optoutd.run(["plan", "--config", fixture.configPath, "--state", empty, "--days", "1"])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("policy-applies"))
        #expect((try FileManager.default.attributesOfItem(atPath: empty)[.size] as? Int) == 0)
        #expect(!FileManager.default.fileExists(atPath: empty + "-wal"))
    }
}
