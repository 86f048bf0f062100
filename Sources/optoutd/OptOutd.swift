import ArgumentParser

@main
struct OptOutd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optoutd",
        abstract: "Tracks platform data-policy changes per account and region, and reminds people to opt out in time.",
        version: "0.1.0",
        subcommands: [
            RunCommand.self, CheckCommand.self, PlanCommand.self, StatusCommand.self, AckCommand.self,
            CatalogCommand.self,
        ]
    )
}
