import ArgumentParser
import OptOutDaemon

struct OptOutd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optoutd",
        abstract: "Tracks platform data-policy changes per account and region, and reminds people to opt out in time.",
        version: OptOutVersion.current,
        subcommands: [
            RunCommand.self, CheckCommand.self, PlanCommand.self, StatusCommand.self, AckCommand.self,
            CatalogCommand.self, ReportCommand.self, LinkCommand.self, ServeCommand.self, TestNotifyCommand.self,
        ]
    )
}

extension OptOutd {
    /// The first name after `help` that is no command, if there is one. The argument parser
    /// shows the top-level help for it and exits 0, which would tell a script all was well.
    static func unknownHelpTopic(in arguments: ArraySlice<String>) -> String? {
        guard arguments.first == "help" else { return nil }
        var commands = configuration.subcommands
        for name in arguments.dropFirst() where !name.hasPrefix("-") {
            guard let command = commands.first(where: { $0._commandName == name }) else { return name }
            commands = command.configuration.subcommands
        }
        return nil
    }
}
