import ArgumentParser
import Foundation
import OptOutDaemon

/// `--state PATH`, shared by the commands that read or write the state store.
struct StateOptions: ParsableArguments, Sendable {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The state store (SQLite).",
            discussion: "Default: $STATE_DIRECTORY/state.sqlite, else /var/lib/optoutd/state.sqlite."),
        completion: .file())
    var state: String?

    var path: String {
        if let state { return state }
        if let directories = ProcessInfo.processInfo.environment["STATE_DIRECTORY"],
            let first = directories.split(separator: ":").first
        {
            return first + "/state.sqlite"
        }
        return "/var/lib/optoutd/state.sqlite"
    }

    /// Whether there is a store at `path`. Only a path that names nothing is no store: one
    /// that cannot be reached (a folder without search permission, a loop of links) is
    /// reported and ends the command with status 1, as a store that cannot be opened does,
    /// rather than read as empty, which would show every action as pending.
    var exists: Bool {
        get throws {
            var status = stat()
            if stat(path, &status) == 0 { return true }
            let failure = errno
            if failure == ENOENT { return false }
            // The service's store is its own user's: the usual way to it is sudo.
            let hint = failure == EACCES ? " (run as a user who may read it, such as with sudo)" : ""
            standardError(
                "optoutd: cannot reach the state store at \(path): \(String(cString: strerror(failure)))\(hint)")
            throw ExitCode.failure
        }
    }

    /// Says on standard error that there is no store at `path`, and what the command shows
    /// instead: not an error (a new installation has none yet), but a mistyped --state
    /// would otherwise pass for a store where nothing happened.
    func warnThatThereIsNoStore(_ instead: String) {
        standardError("optoutd: warning: no state store at \(path): \(instead) (check --state)")
    }

    /// Creates the directory that will hold the store (0700), if missing; one that cannot
    /// be made is reported and ends the command with status 1.
    func createDirectory() throws {
        let directory = (path as NSString).deletingLastPathComponent
        guard !directory.isEmpty else { return }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            standardError(
                "optoutd: \(StoreError(path, "cannot create its folder \(directory): \(error.localizedDescription)"))")
            throw ExitCode.failure
        }
    }

    /// Ends the command with status 65 when there is no store at `path`: commands that
    /// work beside the daemon's store must not start one of their own where `--state` is
    /// mistyped.
    func requireStore() throws {
        guard try exists else {
            standardError(
                "optoutd: no state store at \(path): start the daemon first, or check --state (the daemon's store)")
            throw ExitCode.dataError
        }
    }

    /// Opens the store; a store that cannot be opened is reported (path, and what to do)
    /// and ends the command with status 1.
    func open(_ access: StateStore.Access) throws -> StateStore {
        do {
            return try StateStore(path: path, access: access)
        } catch {
            standardError("optoutd: \(error)")
            throw ExitCode.failure
        }
    }
}
