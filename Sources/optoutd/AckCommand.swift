import ArgumentParser
import Foundation
import OptOutCore
import OptOutDaemon

struct AckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack",
        abstract: "Record completed opt-out actions of an account.",
        discussion: """
            ack ACCOUNT POLICY [ACTION...] records the policy's ACTIONs (all of them when none are \
            named); ack ACCOUNT ACTION... records the platform's switches themselves, done for every \
            policy of the account that asks for them. Each record keeps the time, who recorded it \
            (cli:USER) and --note; records are never changed: --undo records that the actions are \
            pending again. What is already done is not recorded again (the reply says when and by \
            whom it was), and --undo records only what is recorded as done. A running daemon acts on it within seconds: when nothing is left to do it \
            sends opted-out, and no more reminders.
            """
    )

    @Argument(help: "The account id.")
    var account: String

    @Argument(help: "A policy id and its action ids, or action ids alone.")
    var items: [String] = []

    @Option(help: "Why, who, or a ticket number (one that starts with '-' is given as --note=TEXT).")
    var note: String?

    @Flag(help: "Record that the actions are not done (pending again), as a correction.")
    var undo = false

    @Flag(help: "Start a new, empty state store when there is none at --state.")
    var create = false

    @OptionGroup var options: ConfigOptions
    @OptionGroup var state: StateOptions

    func run() throws {
        if let note, let problem = AcknowledgementRequest.problem(withNote: note) {
            throw ValidationError("--note: \(problem)")
        }
        let now = currentInstant()
        let configuration = try options.load(now: now)
        guard let account = configuration.account(id: self.account) else {
            throw dataError(configuration.unknownAccountMessage(self.account))
        }
        let request: AcknowledgementRequest
        do {
            request = try AcknowledgementRequest(account: account, items: items, catalog: configuration.catalog)
        } catch {
            if error.isMissingItems { throw ValidationError(error.description) }
            throw dataError(error.description)
        }
        // A mistyped --state must not record into a new store that no daemon reads.
        guard try create || state.exists else {
            throw dataError(
                "no state store at \(state.path): check --state (the running daemon's store), or add --create to start a new, empty one"
            )
        }
        let store = try state.open(.readWrite(create: create))
        // The store records an action only where that changes what stands, as on the page
        // (a second "done" would replace when and by whom it was done, an undo of what is
        // not recorded as done would correct nothing); what the configuration marks as done
        // is not asked at all.
        let configured = account.doneActionIDs(catalog: configuration.catalog)
        let asked = undo ? request : request.filter { !configured.contains($0) }
        var recorded: [String] = []
        if !asked.actions.isEmpty {
            let (written, told) = try store.acknowledge(
                // An empty note is no note, as on the page.
                [asked], note: note?.isEmpty == false ? note : nil, source: "cli:\(invokingUser)", undo: undo,
                at: now, catalog: configuration.catalog)
            recorded = written.first?.actions ?? []
            if !told {
                standardError(
                    "optoutd: recorded, but \(state.path).ack could not be written: a running daemon acts on it at its next wake-up"
                )
            }
        }
        // What was left alone still stands as it did: the reply says since when.
        let standing =
            try store.standingAcknowledgements(of: [account], catalog: configuration.catalog)[account.id] ?? [:]
        // The configuration's `done:` entries stand whatever the store says.
        let held = request.actions.filter(configured.contains)
        if undo, !held.isEmpty {
            standardError(
                "optoutd: warning: the configuration's done entries of \(account.id) still mark \(held.joined(separator: ", ")) as done; they stay done until taken out there"
            )
        }
        let left = request.actions.filter { !recorded.contains($0) }.map { action in
            if undo { return action }
            if let record = standing[action] {
                return "\(action) on \(account.zone.localDate(of: record.at)) by \(record.source)"
            }
            return "\(action) in the configuration"
        }
        let what = request.policy.map { ", \($0.id)" } ?? ""
        let done = recorded.isEmpty ? "" : "\(request.policy == nil ? ", " : ": ")\(recorded.joined(separator: ", "))"
        let remark =
            left.isEmpty
            ? ""
            : " (\(undo ? "not recorded as done, left as it is" : "already done"): \(left.joined(separator: ", ")))"
        // A switch named under one policy is the platform's: it counts for the others too.
        let alsoFor = configuration.catalog.policies(of: account).filter { other in
            other !== request.policy && other.actions.contains { recorded.contains($0.id) }
        }.map(\.id)
        let shared =
            request.policy == nil || alsoFor.isEmpty
            ? ""
            : " (the same switch for \(alsoFor.joined(separator: ", ")): \(undo ? "pending again" : "done") there too)"
        let verb = recorded.isEmpty ? "nothing recorded" : undo ? "pending again" : "recorded"
        print("\(verb) for \(account.id)\(what)\(done)\(remark)\(shared)")
    }

    /// Who ran the command: the user who asked sudo, else the process's user.
    private var invokingUser: String {
        // SUDO_USER is only an environment variable: a name that is not one is not taken.
        if getuid() == 0, let sudoUser = ProcessInfo.processInfo.environment["SUDO_USER"], getpwnam(sudoUser) != nil {
            return sudoUser
        }
        return getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) } ?? String(getuid())
    }

    private func dataError(_ message: String) -> ExitCode {
        standardError("optoutd: \(message)")
        return ExitCode.dataError
    }
}
