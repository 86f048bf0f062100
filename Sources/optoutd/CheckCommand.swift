import ArgumentParser
import OptOutConfig
import OptOutCore
import OptOutDaemon

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the configuration, account inventories and catalog, and print a one-line summary.",
        discussion:
            "Errors are printed as PATH:LINE:COLUMN: error: MESSAGE, every one of every file; exit status 78 when there is any."
    )

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let now = currentInstant()
        let configuration = try options.load(now: now)
        let scheduler = Scheduler(configuration: configuration, parallel: ThreadedMap())
        if let warning = Self.unreachableWarning(configuration) {
            standardError("\(options.shownPath): warning: \(warning)")
        }
        var summary =
            "\(options.shownPath): ok: \(counted(configuration.accounts.count, "account")), \(counted(configuration.catalog.policies.count, "policy", "policies")), \(counted(scheduler.pendingPairCount, "pending pair"))"
        if let next = scheduler.upcoming(from: now),
            let account = scheduler.account(next.pair.account)
        {
            summary +=
                "; next notice \(next.event.rawValue) for \(next.pair.account) (\(next.pair.policy)) at \(account.zone.rfc3339(next.at))"
        } else {
            summary += "; no notice due"
        }
        print(summary)
        OneShotMemory.exit()
    }

    /// Accounts that mail to owners cannot reach (no address of their own, no `cc` copy),
    /// so that nothing but the journal tells anyone about them: how many, and a few ids.
    static func unreachableWarning(_ configuration: Configuration) -> String? {
        guard let email = configuration.channels.email, email.cc.isEmpty else { return nil }
        guard email.toOwner else {
            return "mail goes to nobody: to_owner is false and there is no cc; only the journal reaches the accounts"
        }
        let unreachable = configuration.accounts.lazy.filter { $0.email == nil }
        let count = unreachable.count
        guard count > 0 else { return nil }
        let shown = unreachable.prefix(3).map(\.id)
        let ids = shown.joined(separator: ", ") + (count > shown.count ? ", …" : "")
        return
            "\(count) account\(count == 1 ? " has" : "s have") no e-mail address and mail has no cc: only the journal reaches \(count == 1 ? "it" : "them") (\(ids))"
    }
}
