import ArgumentParser
import Foundation
import OptOutCore
import OptOutDaemon

struct LinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Print a fresh confirmation link for an account, to pass on by hand.",
        discussion: """
            The link opens the account's page of optoutd serve, where its owner ticks the steps \
            done. It is valid for web.link_valid from now; replacing the link key makes it (and \
            every other link) unusable.
            """
    )

    @Argument(help: "The account id.")
    var account: String

    @OptionGroup var options: ConfigOptions
    @OptionGroup var state: StateOptions

    /// Stands in for the clock (tests of links that have expired).
    @Option(help: .hidden)
    var now: String?

    func run() throws {
        var instant = currentInstant()
        let configuration = try options.load(now: instant)
        if let now { instant = try commandLineInstant(now, "--now", zone: configuration.defaultZone) }
        guard let account = configuration.account(id: account) else {
            standardError("optoutd: \(configuration.unknownAccountMessage(self.account))")
            throw ExitCode.dataError
        }
        // The link key lives beside the store: with a mistyped --state, a link would be
        // signed with a key that no server knows (and a key file made where it should not be).
        try state.requireStore()
        _ = try state.open(.readOnly)
        guard let links = try loadLinks(configuration, state: state) else {
            standardError("optoutd: \(options.shownPath): links need a web: section with base_url")
            throw ExitCode.invalidConfiguration
        }
        print(links.url(recipient: account.email ?? account.id, accounts: [account.id], now: instant))
    }
}
