import ArgumentParser
import Foundation
import OptOutCore
import OptOutDaemon

struct AckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack",
        abstract: "Record completed opt-out actions of an account's policy.",
        discussion: """
            Records ACTIONs (all of the policy's when none are named) with the time and --note in the
            state store. A running daemon acts on it within seconds: when nothing is left to do it
            sends opted-out, and no more reminders. Works whether the daemon runs or not.
            """
    )

    @Argument(help: "The account id.")
    var account: String

    @Argument(help: "The policy id.")
    var policy: String

    @Argument(help: "Action ids (default: every action of the policy).")
    var actions: [String] = []

    @Option(help: "Why, who, or a ticket number.")
    var note: String?

    @Flag(help: "Start a new, empty state store when there is none at --state.")
    var create = false

    @OptionGroup var options: ConfigOptions
    @OptionGroup var state: StateOptions

    func run() throws {
        let now = currentInstant()
        let configuration = try options.load(now: now)
        guard let account = configuration.accounts.first(where: { $0.id == self.account }) else {
            throw dataError("unknown account '\(self.account)'")
        }
        guard let policy = configuration.catalog[self.policy] else {
            throw dataError("unknown policy '\(self.policy)'")
        }
        guard policy.covers(platform: account.platform, country: account.region) else {
            throw dataError(
                "policy '\(policy.id)' does not apply to '\(account.id)' (\(account.platform), \(account.region))")
        }
        let known = policy.actions.map(\.id)
        if let unknown = actions.first(where: { !known.contains($0) }) {
            throw dataError(
                "policy '\(policy.id)' has no action '\(unknown)'; it has: \(known.joined(separator: ", "))")
        }
        let done = actions.isEmpty ? known : actions
        // A mistyped --state must not record into a new store that no daemon reads.
        guard create || state.exists else {
            throw dataError(
                "no state store at \(state.path): check --state (the running daemon's store), or add --create to start a new, empty one"
            )
        }
        let store = try state.open(.readWrite(create: create))
        try store.acknowledge(account: account.id, policy: policy.id, actions: done, note: note, at: now)
        // Wake a running daemon (it watches for this file being written).
        let trigger = state.path + ".ack"
        if FileManager.default.createFile(atPath: trigger, contents: Data("\(now.secondsSince1970)\n".utf8)) {
            StateOwner.handOver(trigger)
        } else {
            standardError(
                "optoutd: recorded, but \(trigger) could not be written: a running daemon acts on it at its next wake-up"
            )
        }
        print("recorded for \(account.id), \(policy.id): \(done.joined(separator: ", "))")
    }

    private func dataError(_ message: String) -> ExitCode {
        standardError("optoutd: \(message)")
        return ExitCode.dataError
    }
}
