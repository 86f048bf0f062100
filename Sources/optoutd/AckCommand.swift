import ArgumentParser
import Foundation
import OptOutCore
import OptOutDaemon

struct AckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack",
        abstract: "Record completed opt-out actions of an account.",
        discussion: """
            ack ACCOUNT POLICY [ACTION...] records the policy's ACTIONs (all of them when none are
            named); ack ACCOUNT ACTION... records the platform's switches themselves, done for every
            policy of the account that asks for them. Each record keeps the time, who recorded it
            (cli:USER) and --note; records are never changed: --undo records that the actions are
            pending again. A running daemon acts on it within seconds: when nothing is left to do it
            sends opted-out, and no more reminders.
            """
    )

    @Argument(help: "The account id.")
    var account: String

    @Argument(help: "A policy id and its action ids, or action ids alone.")
    var items: [String] = []

    @Option(help: "Why, who, or a ticket number.")
    var note: String?

    @Flag(help: "Record that the actions are not done (pending again), as a correction.")
    var undo = false

    @Flag(help: "Start a new, empty state store when there is none at --state.")
    var create = false

    @OptionGroup var options: ConfigOptions
    @OptionGroup var state: StateOptions

    func run() throws {
        let now = currentInstant()
        let configuration = try options.load(now: now)
        guard let account = configuration.account(id: self.account) else {
            throw dataError("unknown account '\(self.account)'")
        }
        let (policy, actions) = try choose(account, in: configuration.catalog)
        // A mistyped --state must not record into a new store that no daemon reads.
        guard create || state.exists else {
            throw dataError(
                "no state store at \(state.path): check --state (the running daemon's store), or add --create to start a new, empty one"
            )
        }
        let store = try state.open(.readWrite(create: create))
        try store.acknowledge(
            account: account.id, policy: policy?.id, actions: actions, note: note, source: "cli:\(invokingUser)",
            undo: undo, at: now)
        // Wake a running daemon (it watches for this file being written).
        let trigger = state.path + ".ack"
        if FileManager.default.createFile(atPath: trigger, contents: Data("\(now.secondsSince1970)\n".utf8)) {
            StateOwner.handOver(trigger)
        } else {
            standardError(
                "optoutd: recorded, but \(trigger) could not be written: a running daemon acts on it at its next wake-up"
            )
        }
        let what = policy.map { "\($0.id): " } ?? ""
        print("\(undo ? "pending again" : "recorded") for \(account.id), \(what)\(actions.joined(separator: ", "))")
    }

    /// The policy named (if the first item is one) and the actions to record.
    private func choose(_ account: Account, in catalog: Catalog) throws -> (Policy?, [String]) {
        let applying = catalog.policyIndices(platform: account.platform).map { catalog.policies[$0] }.filter {
            $0.covers(platform: account.platform, country: account.region)
        }
        if let first = items.first, let policy = catalog[first] {
            guard applying.contains(where: { $0 === policy }) else {
                throw dataError(
                    "policy '\(policy.id)' does not apply to '\(account.id)' (\(account.platform), \(account.region))")
            }
            let known = policy.actions.map(\.id)
            let named = Array(items.dropFirst())
            if let unknown = named.first(where: { !known.contains($0) }) {
                throw dataError(
                    "policy '\(policy.id)' has no action '\(unknown)'; it has: \(known.joined(separator: ", "))")
            }
            return (policy, named.isEmpty ? known : named)
        }
        guard !items.isEmpty else {
            throw ValidationError("name a policy, or the actions done (such as ai-improvement-toggle)")
        }
        // The platform's switches: each must be asked for by a policy that applies to the account.
        let asked = Set(applying.flatMap { $0.actions.map(\.id) })
        if let unknown = items.first(where: { !asked.contains($0) }) {
            let known = asked.sorted().joined(separator: ", ")
            throw dataError(
                "'\(unknown)' is neither a policy nor an action that applies to '\(account.id)'; its actions: \(known.isEmpty ? "none" : known)"
            )
        }
        return (nil, items)
    }

    /// Who ran the command: the user who asked sudo, else the process's user.
    private var invokingUser: String {
        if getuid() == 0, let sudoUser = ProcessInfo.processInfo.environment["SUDO_USER"], !sudoUser.isEmpty {
            return sudoUser
        }
        return getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) } ?? String(getuid())
    }

    private func dataError(_ message: String) -> ExitCode {
        standardError("optoutd: \(message)")
        return ExitCode.dataError
    }
}
