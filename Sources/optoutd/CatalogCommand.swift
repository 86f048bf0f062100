import ArgumentParser
import Foundation
import OptOutConfig
import OptOutCore

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "List the policies known (shipped and configured): regions, dates, actions and sources."
    )

    @OptionGroup var options: ConfigOptions

    @Option(help: "table or json.")
    var format: ListFormat = .table

    @Option(help: "Only the policies of this platform (such as linkedin).")
    var platform: String?

    @Flag(help: "List the platforms instead of the policies.")
    var platforms = false

    func validate() throws {
        guard !(platforms && platform != nil) else { throw ValidationError("--platforms lists every platform") }
    }

    func run() throws {
        let catalog: Catalog
        // Not configured yet: the shipped catalog. A default file that is there but cannot
        // be read is loaded all the same, so that the error says why.
        var status = stat()
        if options.config == nil, stat(options.path, &status) != 0, errno == ENOENT {
            catalog = try ConfigurationLoader.builtinCatalog()
        } else {
            catalog = try options.load(now: currentInstant()).catalog
        }
        if platforms {
            standardOutput(format == .json ? Report.platformsJSON(catalog) : Report.platformsTable(catalog))
            return
        }
        var policies = catalog.policies
        if let platform {
            guard catalog.platforms.contains(platform) else {
                standardError(
                    "optoutd: unknown platform \(TerminalText.quoted(platform)); \(catalog.hint(forUnknownPlatform: platform))"
                )
                throw ExitCode.dataError
            }
            policies = catalog.policyIndices(platform: platform).map { catalog.policies[$0] }
        }
        standardOutput(format == .json ? Report.catalogJSON(policies) : Report.catalogTable(policies))
    }
}
