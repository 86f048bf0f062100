import ArgumentParser
import Foundation
import Logging
import OptOutCore
import OptOutDaemon

struct TestNotifyCommand: AsyncParsableCommand, Sendable {
    static let configuration = CommandConfiguration(
        commandName: "test-notify",
        abstract: "Send a clearly marked test notification through each configured channel, and say which worked.",
        discussion: """
            The test uses a real account and policy of the configuration (the first, or --account), \
            is marked as a test in every channel (subject, message, OPTOUT_TEST=1, "test": true), \
            and is not recorded in the state store. Exit status 69 when a channel failed.
            """
    )

    @OptionGroup var options: ConfigOptions

    @Option(help: "Only this channel (journal, email, or a hook or webhook name).")
    var channel: String?

    @Option(help: "Use this account (default: the first one; with --channel email, the first with an address).")
    var account: String?

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        let now = currentInstant()
        let configuration = try options.load(now: now)
        let channels = ChannelFactory(logger: Logger(label: "optoutd")).channels(for: configuration)
            .filter { channel == nil || $0.name == channel }
        guard !channels.isEmpty else {
            throw ValidationError(
                "no channel named \(TerminalText.quoted(channel ?? "")); configured: journal\(configuredNames(configuration))"
            )
        }
        guard let notice = sampleNotice(configuration, now: now) else {
            standardError(
                "optoutd: no account\(account.map { " \(TerminalText.quoted($0))" } ?? "") with a policy to use for the test"
            )
            throw ExitCode.dataError
        }
        let document = NoticeDocument(notice, test: true)
        var failed = false
        for channel in channels {
            let recipients = channel.recipients(of: notice)
            if recipients.isEmpty {
                print(
                    "\(channel.name): skipped: no recipient for account \(notice.account.id) (name one with an address: --account ID)"
                )
                continue
            }
            for recipient in recipients {
                let label = channel.name + (recipient.map { " (\($0))" } ?? "")
                do {
                    try await channel.deliver([document], to: recipient)
                    print("\(label): ok")
                } catch {
                    print("\(label): failed: \(error.description)")
                    failed = true
                }
            }
        }
        if failed { throw ExitCode.unavailable }
    }

    private func configuredNames(_ configuration: Configuration) -> String {
        let names =
            (configuration.channels.email == nil ? [] : ["email"]) + configuration.channels.hooks.map(\.name)
            + configuration.channels.webhooks.map(\.name)
        return names.map { ", \($0)" }.joined()
    }

    /// A notice for the chosen account's first applicable policy.
    private func sampleNotice(_ configuration: Configuration, now: Instant) -> Notice? {
        var candidates = configuration.accounts.filter { account == nil || $0.id == account }
        // Mail alone is tested with an account it can reach, when no account is named.
        if account == nil, channel == "email" {
            candidates = candidates.filter { $0.email != nil } + candidates.filter { $0.email == nil }
        }
        for account in candidates {
            for index in configuration.catalog.policyIndices(platform: account.platform) {
                let policy = configuration.catalog.policies[index]
                guard policy.coverage.contains(account.region) else { continue }
                return Notice(
                    account: account, policy: policy, event: .policyApplies, date: account.zone.localDate(of: now),
                    at: now, utcOffset: account.zone.offset(at: now), pending: policy.actions, late: false)
            }
        }
        return nil
    }
}
