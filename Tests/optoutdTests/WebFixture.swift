import Foundation
import OptOutCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A daemon fixture with `web:` configured and `optoutd serve` running on a loopback port
/// of its own; requests go through Tests/support/web_probe.py.
final class WebFixture {
    let fixture = try! DaemonFixture()
    let port = EmailTests.freePort()
    private var server: Process?
    /// The resident memory of the running server, in kilobytes.
    var serverResidentKilobytes: Int {
        guard let server,
            let status = try? String(contentsOfFile: "/proc/\(server.processIdentifier)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return Int(line.split(separator: " ")[1]) ?? 0
    }

    /// The running server's, to find what it wrote to the journal.
    var serverProcessIdentifier: Int32? { server?.processIdentifier }

    var base: String { "http://127.0.0.1:\(port)" }
    var webSection: String { "web: {base_url: \"\(base)\"}" }

    deinit { stop() }

    /// Writes the configuration (with `web:` and `extra`), makes the store, starts serving.
    func start(accounts: String, extra: String = "") throws {
        try fixture.writeConfig(accounts: accounts, extra: webSection + "\n" + extra)
        // The store the daemon would have made, so that serve has one to record into.
        try fixture.seed([])
        try serve()
    }

    func serve(environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = Optoutd.executable
        process.arguments = [
            "serve", "--config", fixture.configPath, "--state", fixture.statePath, "--listen", "127.0.0.1:\(port)",
        ]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        server = process
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            // Refused until it listens: asked quietly, not as an expectation.
            if (try? probe(["get", base + "/healthz"], quiet: true))?["status"] as? Int == 200 { return }
            usleep(50_000)
        }
        throw CocoaError(.fileReadUnknown)
    }

    func stop() {
        terminateServer()
        _ = serverExitStatus()
    }

    /// Asks the server to stop (SIGTERM), without waiting for it.
    func terminateServer() {
        if let server { kill(server.processIdentifier, SIGTERM) }
    }

    /// Waits for the server to end; its exit status.
    func serverExitStatus() -> Int32? {
        guard let server else { return nil }
        server.waitUntilExit()
        self.server = nil
        return server.terminationStatus
    }

    /// A fresh link for `account`, as `optoutd link` prints it (at `now`, when given).
    func link(_ account: String, now: String? = nil) throws -> String {
        let result = try fixture.run(["link", account] + (now.map { ["--now", $0] } ?? []))
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    func get(_ target: String, headers: [String] = []) throws -> Answer {
        try answer(probe(["get", url(target)] + headers))
    }

    func post(_ target: String, _ body: String, headers: [String] = ["Origin:" + "ORIGIN"]) throws -> Answer {
        try answer(
            probe(["post", url(target), body] + headers.map { $0.replacingOccurrences(of: "ORIGIN", with: base) }))
    }

    /// Runs the probe and returns what it printed.
    func probe(_ arguments: [String], quiet: Bool = false) throws -> [String: Any] {
        let result = try Optoutd.runTool(
            "/usr/bin/python3",
            [Optoutd.repository.appendingPathComponent("Tests/support/web_probe.py").path] + arguments)
        if !quiet { #expect(result.status == 0, "\(result.stderr)") }
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    }

    /// The acknowledgements `status` shows for `account`.
    func acks(_ account: String) throws -> [[String: Any]] {
        let status = try fixture.run(["status", "--format", "json"])
        let rows = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [[String: Any]] ?? []
        return rows.filter { $0["account"] as? String == account }.flatMap { $0["acks"] as? [[String: Any]] ?? [] }
    }

    func url(_ target: String) -> String { target.hasPrefix("http") ? target : base + target }

    private func answer(_ json: [String: Any]) -> Answer {
        Answer(
            status: json["status"] as? Int ?? 0, headers: json["headers"] as? [String: String] ?? [:],
            body: json["body"] as? String ?? "")
    }
}
