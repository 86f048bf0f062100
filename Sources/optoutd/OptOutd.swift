import ArgumentParser

@main
struct OptOutd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optoutd",
        abstract: "Tracks platform data-policy changes per account and region, and reminds people to opt out in time.",
        version: "0.1.0",
        subcommands: [CheckCommand.self, PlanCommand.self, CatalogCommand.self]
    )
}
