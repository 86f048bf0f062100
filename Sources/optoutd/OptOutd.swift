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
