import Foundation
import OptOutCore
import OptOutDaemon
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Whether the tests run with a journal of their own (`scripts/test-sandbox`, as `make test` does).
let hasTestJournal = ProcessInfo.processInfo.environment["OPTOUTD_TEST_JOURNAL"] == "1"

/// A scratch directory with a configuration and a state path for one daemon test.
final class DaemonFixture {
    let directory: URL
    /// Unique per fixture, prefixed to account ids so that parallel tests can tell their entries apart.
    let tag: String

    init() throws {
        tag = "t" + UUID().uuidString.prefix(8).lowercased()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("optoutd-daemon-\(tag)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    var configPath: String { directory.appendingPathComponent("optoutd.yaml").path }
    var statePath: String { directory.appendingPathComponent("state/state.sqlite").path }

    func account(_ name: String) -> String { "\(tag)-\(name)" }

    /// Writes a configuration with the given YAML for `accounts:` and optional extras.
    func writeConfig(accounts: String, extra: String = "") throws {
        let text = """
            version: 1
            timezone: Europe/Berlin
            defaults: {platform: linkedin}
            \(extra)
            accounts:
            \(accounts)
            """
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// Another process that takes the store's write lock and keeps it for a minute (or
    /// until killed); returns once it holds it.
    func holdTheStoresWriteLock() throws -> Process {
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        holder.arguments = [
            "-c",
            "import sqlite3, sys, time\nc = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
                + "c.execute('BEGIN EXCLUSIVE')\nprint('held', flush=True)\ntime.sleep(60)",
            statePath,
        ]
        let held = Pipe()
        holder.standardOutput = held
        try holder.run()
        #expect(held.fileHandleForReading.availableData.starts(with: Data("held".utf8)))
        return holder
    }

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Optoutd.Result {
        try Optoutd.run(arguments + ["--config", configPath, "--state", statePath], environment: environment)
    }

    /// A directory inside the fixture's, created.
    func subdirectory(_ name: String) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Where `runOnce` points `$CREDENTIALS_DIRECTORY`, as systemd's `LoadCredential=` would.
    var credentials: URL { directory.appendingPathComponent("credentials") }

    /// Writes a credential file, as `LoadCredential=` would provide it.
    func writeCredential(_ name: String, _ value: String) throws {
        try FileManager.default.createDirectory(at: credentials, withIntermediateDirectories: true)
        try (value + "\n").write(to: credentials.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// `optoutd run --once` with the clock `offset` seconds after `now`, with the fixture's credentials.
    func runOnce(at offset: Int = 0, from now: Instant = Instant(Date())) throws -> Optoutd.Result {
        try run(
            ["run", "--once", "--now", Zone.utc.rfc3339(now.adding(seconds: offset))],
            environment: ["CREDENTIALS_DIRECTORY": credentials.path])
    }

    /// Starts `optoutd run` in the background.
    func start(environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = Optoutd.executable
        process.arguments = ["run", "--config", configPath, "--state", statePath]
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Journal entries of this fixture's accounts (or of its daemon's own life, with `identifierOnly`).
    func entries(_ filters: [String] = []) throws -> [[String: String]] {
        let result = try Optoutd.runTool("/usr/bin/journalctl", ["-o", "json", "--no-pager"] + filters)
        return result.stdout.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }.map { $0.compactMapValues { $0 as? String } }
    }

    /// Returns once the journal holds every entry sent to it before this call. A marker is
    /// sent after them on the socket libsystemd writes to, which journald reads in order:
    /// when the marker shows, nothing sent before it is still on its way. A check that
    /// nothing more arrived is then exact, not a guess after a pause.
    func journalBarrier(timeout: Duration = .seconds(15)) throws {
        let marker = "optoutd-test-barrier-\(UUID().uuidString)"
        let sender = Process()
        sender.executableURL = URL(fileURLWithPath: "/usr/bin/logger")
        sender.arguments = ["--journald"]
        let input = Pipe()
        sender.standardInput = input
        try sender.run()
        input.fileHandleForWriting.write(Data("MESSAGE=\(marker)\nSYSLOG_IDENTIFIER=optoutd-test\n".utf8))
        try input.fileHandleForWriting.close()
        sender.waitUntilExit()
        let deadline = ContinuousClock.now + timeout
        while try entries(["MESSAGE=\(marker)"]).isEmpty {
            guard ContinuousClock.now < deadline else { throw BarrierTimeout() }
            usleep(50_000)
        }
    }

    struct BarrierTimeout: Error {}

    /// This fixture's notification entries.
    func notices() throws -> [[String: String]] {
        try entries(["SYSLOG_IDENTIFIER=optoutd"]).filter { $0["OPTOUT_ACCOUNT"]?.hasPrefix(tag + "-") == true }
    }

    /// Waits until `condition` holds for this fixture's notices, or `timeout` passes.
    @discardableResult
    func waitForNotices(timeout: Duration = .seconds(15), until condition: ([[String: String]]) -> Bool) throws
        -> [[String: String]]
    {
        let deadline = ContinuousClock.now + timeout
        while true {
            let notices = try self.notices()
            if condition(notices) || ContinuousClock.now > deadline { return notices }
            usleep(100_000)
        }
    }

    /// Writes an executable shell script in the fixture's directory (a hook may be a
    /// script: optoutd runs it directly, never through a shell).
    func script(_ name: String, _ body: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try "#!/bin/sh\n\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    /// Records pair histories in the state store as if a daemon had seen the pairs then.
    func seed(_ histories: [(account: String, policy: String, firstSeen: Instant)]) throws {
        try FileManager.default.createDirectory(
            atPath: (statePath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let step = Scheduler.Step(
            histories: histories.map {
                (
                    PairKey(account: $0.account, policy: $0.policy),
                    PairHistory(firstSeen: $0.firstSeen, handledThrough: $0.firstSeen)
                )
            })
        try StateStore(path: statePath).record(step, at: Instant(Date())) { _ in [] }
    }
}

/// A datagram socket standing in for the service manager's `$NOTIFY_SOCKET`. Like the
/// manager, it reads every message as it comes (a thread drains it); or, as a stalled one,
/// not before `startReading()`, so that its queue fills.
///
/// `@unchecked Sendable`: the messages read are kept and read only with `lock` held; the
/// path and descriptor never change.
final class NotifySocket: @unchecked Sendable {
    let path: String
    private let descriptor: Int32
    private let lock = NSLock()
    private var received: [String] = []
    private var closed = false

    init(reading: Bool = true) throws {
        path =
            FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString.prefix(8))").path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard descriptor >= 0, bound == 0 else { throw POSIXError(.EIO) }
        if reading { startReading() }
    }

    func startReading() {
        Thread { [self] in self.drain() }.start()
    }

    deinit {
        unlink(path)
    }

    /// Stops reading and closes the socket.
    func close() {
        lock.withLock { closed = true }
        shutdown(descriptor, Int32(SHUT_RDWR))
    }

    var messages: [String] { lock.withLock { received } }

    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !lock.withLock({ closed }) {
            var descriptors = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
            guard poll(&descriptors, 1, 100) > 0 else { continue }
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count > 0 {
                let message = String(decoding: buffer[..<count], as: UTF8.self)
                lock.withLock { received.append(message) }
            }
        }
        Glibc.close(descriptor)
    }

    /// Waits until a message received after the first `after` satisfies `condition`, or
    /// `timeout` passes; returns every message so far.
    @discardableResult
    func wait(after: Int = 0, timeout: Duration = .seconds(15), until condition: (String) -> Bool) -> [String] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let all = messages
            if all.dropFirst(after).contains(where: condition) { return all }
            usleep(20_000)
        }
        return messages
    }
}

extension Process {
    /// Sends `signal` and waits for the process to end; returns its status, or nil when it
    /// was still running after `limit` (it is killed then: a test fails rather than hangs).
    @discardableResult
    func stop(_ signal: Int32 = SIGTERM, waitingAtMost limit: Duration = .seconds(30)) -> Int32? {
        kill(processIdentifier, signal)
        let deadline = ContinuousClock.now + limit
        while isRunning && ContinuousClock.now < deadline { usleep(20_000) }
        guard !isRunning else {
            kill(processIdentifier, SIGKILL)
            waitUntilExit()
            return nil
        }
        waitUntilExit()
        return terminationStatus
    }
}
