import ArgumentParser
import Foundation
import OptOutConfig
import OptOutCore

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "List the policies known (shipped and configured): regions, dates and actions."
    )

    @OptionGroup var options: ConfigOptions

    @Option(help: "table or json.")
    var format: ListFormat = .table

    func run() throws {
        let catalog: Catalog
        if options.config == nil, !FileManager.default.fileExists(atPath: options.path) {
            catalog = try ConfigurationLoader.builtinCatalog()  // not configured yet: the shipped catalog
        } else {
            catalog = try options.load(now: currentInstant()).catalog
        }
        standardOutput(format == .json ? Report.catalogJSON(catalog) : Report.catalogTable(catalog))
    }
}
