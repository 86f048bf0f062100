import Foundation
import OptOutCore
import Testing

@testable import OptOutDaemon

@Suite struct MessageCatalogTests {
    static let catalogPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../systemd/optoutd.catalog").standardizedFileURL.path

    static let allIDs: Set<String> = Set(EventKind.allCases.map(MessageID.notice)).union([
        MessageID.started, MessageID.reloaded, MessageID.configurationRejected, MessageID.channelFailing,
        MessageID.stopping, MessageID.storeFailing, MessageID.summaryReportSent,
    ])

    @Test func everyMessageIDIsDocumentedOnce() throws {
        let text = try String(contentsOfFile: Self.catalogPath, encoding: .utf8)
        let ids = text.split(separator: "\n").filter { $0.hasPrefix("-- ") }.map { String($0.dropFirst(3)) }
        #expect(ids.count == Set(ids).count)
        #expect(Set(ids) == Self.allIDs)
        #expect(Self.allIDs.count == 13)
        #expect(Self.allIDs.allSatisfy { $0.count == 32 && $0.allSatisfy(\.isHexDigit) })
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
        for id in Self.allIDs { #expect(listed.contains(id + " optoutd: ")) }
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
