import Foundation
import OptOutCore
import OptOutDaemon
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The daemon without a journal, with standard error broken or closed, on a read-only store.
extension DaemonTests {
    @Test(.enabled(if: getuid() == 0, "needs root")) func withoutAJournalDiagnosticsGoToStandardErrorAndNoticesWait()
        throws
    {
        let fixture = try DaemonFixture()
        let account = fixture.account("quiet")
        try fixture.writeConfig(accounts: "  - {id: \(account), region: LU}")
        // Another private /run: no journald socket there.
        let noJournal = try Optoutd.runTool(
            "/usr/bin/unshare",
            [
                "--mount", "sh", "-c", "mount -t tmpfs tmpfs /run && exec \"$0\" \"$@\"", Optoutd.executable.path,
                "run",
                "--once", "--config", fixture.configPath, "--state", fixture.statePath,
            ])
        #expect(noJournal.status == 0, "\(noJournal.stderr)")
        #expect(
            noJournal.stderr.contains(
                "<4>channel journal failed to deliver policy-applies for \(account): journal: no journald socket"))
        #expect(try fixture.notices().isEmpty)
        #expect(try fixture.run(["status"]).stdout.contains("outbox: 1 waiting for journal"))
        // With the journal back, the notice arrives after its back-off.
        let later = Zone.utc.rfc3339(Instant(Date()).adding(seconds: 70))
        #expect(try fixture.run(["run", "--once", "--now", later]).status == 0)
        #expect(try fixture.waitForNotices { !$0.isEmpty }.map { $0["OPTOUT_EVENT"] } == ["policy-applies"])
    }

    /// A store on a read-only file system is named in the error, with what to check.
    @Test(.enabled(if: getuid() == 0, "needs root")) func aStoreOnAReadOnlyFileSystemIsNamed() throws {
        let fixture = try DaemonFixture()
        try fixture.writeConfig(accounts: "  - {id: \(fixture.account("ro")), region: LU}")
        let folder = fixture.directory.appendingPathComponent("ro").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let result = try Optoutd.runTool(
            "/usr/bin/unshare",
            [
                "--mount", "--propagation", "private", "sh", "-c",
                "mount -t tmpfs -o ro tmpfs \"$1\" && \"$0\" run --config \"$2\" --state \"$1/state.sqlite\"; "
                    + "\"$0\" run --config \"$2\" --state \"$1/sub/state.sqlite\"",
                Optoutd.executable.path, folder, fixture.configPath,
            ])
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "optoutd: state store \(folder)/state.sqlite: cannot make its lock \(folder)/state.sqlite.lock: Read-only file system; check that its folder is writable"
            ), "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "optoutd: state store \(folder)/sub/state.sqlite: cannot create its folder \(folder)/sub: "))
        #expect(!result.stderr.contains("Error Domain"))
    }

    /// Without a journal the daemon logs to standard error, which may be a pipe whose
    /// reader went away, or closed from the start: it keeps running either way, and what it
    /// would have said goes into no file of its own.
    @Test(.enabled(if: getuid() == 0, "needs root")) func aBrokenOrClosedStandardErrorDoesNotStopTheDaemon() throws {
        let fixture = try DaemonFixture()
        try fixture.writeConfig(accounts: "  - {id: \(fixture.account("pipe")), region: LU}")
        func withoutJournal(_ script: String) throws -> Optoutd.Result {
            try Optoutd.runTool(
                "/usr/bin/unshare",
                [
                    "--mount", "sh", "-c", "mount -t tmpfs tmpfs /run && " + script, Optoutd.executable.path, "run",
                    "--once", "--config", fixture.configPath, "--state", fixture.statePath,
                ])
        }
        // The reader of its standard error exits at once; the exit status comes out on fd 3.
        let broken = try withoutJournal(
            #"status=$( { { "$0" "$@" 2>&1 >/dev/null; echo $? >&3; } | true; } 3>&1 ); exit "$status""#)
        #expect(broken.status == 0, "\(broken.stderr)")
        let closed = try withoutJournal(#"exec "$0" "$@" 2>&-"#)
        #expect(closed.status == 0)
        let lock = try String(contentsOfFile: fixture.statePath + ".lock", encoding: .utf8)
        #expect(!lock.contains("<4>") && !lock.contains("MESSAGE_ID"), "\(lock)")
        #expect(try fixture.run(["status"]).stdout.contains("outbox: 1 waiting for journal"))
    }
}
