import Foundation
import Testing

/// The written documentation keeps up with the executable: every command is described in
/// `docs/commands.md` and `optoutd(8)`, and the man pages are valid scdoc.
struct DocumentationTests {
    static func commands() throws -> [String] {
        let help = try Optoutd.run(["--help"]).stdout
        let section = help.components(separatedBy: "SUBCOMMANDS:").last ?? ""
        return section.split(separator: "\n").compactMap { line in
            line.hasPrefix("  ") && !line.hasPrefix("   ") ? line.split(separator: " ").first.map(String.init) : nil
        }.filter { $0 != "See" }
    }

    @Test func everyCommandIsDocumentedInTheReferenceAndTheManPage() throws {
        let commands = try Self.commands()
        #expect(commands.contains("serve") && commands.contains("link") && commands.count >= 10, "\(commands)")
        let reference = try String(
            contentsOf: Optoutd.repository.appendingPathComponent("docs/commands.md"), encoding: .utf8)
        let manual = try String(
            contentsOf: Optoutd.repository.appendingPathComponent("man/optoutd.8.scd"), encoding: .utf8)
        for command in commands {
            #expect(reference.contains("\n## \(command)\n"), "docs/commands.md: \(command)")
            #expect(manual.contains("\n*optoutd \(command)*"), "optoutd.8: \(command) in SYNOPSIS")
        }
    }

    @Test(
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/scdoc"), "needs scdoc"),
        arguments: ["optoutd.8.scd", "optoutd.yaml.5.scd"])
    func theManPagesAreValidScdoc(page: String) throws {
        let result = try Optoutd.runTool(
            "/bin/sh", ["-c", "/usr/bin/scdoc < \"$0\"", Optoutd.repository.appendingPathComponent("man/\(page)").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(".TH"))
    }
}
