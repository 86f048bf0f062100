import ArgumentParser
import OptOutConfig
import OptOutCore

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
        var summary =
            "\(options.path): ok: \(configuration.accounts.count) accounts, \(configuration.catalog.policies.count) policies, \(scheduler.pendingPairCount) pending pairs"
        if let next = scheduler.upcoming,
            let account = scheduler.account(next.pair.account)
        {
            let when = next.at == .distantPast ? account.zone.rfc3339(now) : account.zone.rfc3339(next.at)
            summary += "; next notice \(next.event.rawValue) for \(next.pair.account) (\(next.pair.policy)) at \(when)"
        } else {
            summary += "; no notice due"
        }
        print(summary)
        OneShotMemory.exit()
    }
}
