import Foundation
import OptOutCore
import Testing

@testable import OptOutDaemon

@Suite struct MessageCatalogTests {
    static let catalogPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../systemd/optoutd.catalog").standardizedFileURL.path

    /// Every id `MessageID.swift` defines, read from its source: a new one that the
    /// catalog lacks is found without a list kept by hand.
    static func definedIDs() throws -> [String] {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/OptOutDaemon/MessageID.swift").standardizedFileURL.path
        let text = try String(contentsOfFile: source, encoding: .utf8)
        return text.matches(of: /"([0-9a-f]{32})"/).map { String($0.output.1) }
    }

    @Test func everyMessageIDIsDocumentedOnce() throws {
        let text = try String(contentsOfFile: Self.catalogPath, encoding: .utf8)
        let ids = text.split(separator: "\n").filter { $0.hasPrefix("-- ") }.map { String($0.dropFirst(3)) }
        let defined = try Self.definedIDs()
        #expect(ids.count == Set(ids).count)
        #expect(defined.count == Set(defined).count, "an id used twice in MessageID.swift")
        #expect(Set(ids) == Set(defined))
        // The ones the code hands out are among them.
        let used = Set(EventKind.allCases.map(MessageID.notice)).union([
            MessageID.started, MessageID.reloaded, MessageID.configurationRejected, MessageID.channelFailing,
            MessageID.stopping, MessageID.storeFailing, MessageID.storeRecovered, MessageID.summaryReportSent,
            MessageID.summaryReportFailed,
        ])
        #expect(used.isSubset(of: Set(defined)))
    }

    @Test func journalctlCompilesTheCatalog() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let directory = root.appendingPathComponent("usr/lib/systemd/catalog")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Self.catalogPath, toPath: directory.appendingPathComponent("optoutd.catalog").path)
        #expect(try journalctl(["--root=\(root.path)", "--update-catalog"]).isEmpty)
        let listed = try journalctl(["--root=\(root.path)", "--list-catalog"])
        for id in try Self.definedIDs() { #expect(listed.contains(id + " optoutd: ")) }
        let overdue = try journalctl(["--root=\(root.path)", "--dump-catalog", MessageID.notice(.overdue)])
        #expect(overdue.contains("Subject: Opt-out of @OPTOUT_POLICY@ overdue for @OPTOUT_ACCOUNT@"))
    }

    private func journalctl(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/journalctl")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: output, as: UTF8.self)
    }
}
