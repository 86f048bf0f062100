import Foundation
import OptOutCore
import Testing

@testable import OptOutConfig

/// The shipped catalog's files and sources, and configured policies that replace shipped ones.
extension ConfigurationLoaderTests {
    /// A replacement of `linkedin-genai-training-2025` with another deadline.
    static func replacement(deadline: String, replaces: Bool = true) -> String {
        """
        - id: linkedin-genai-training-2025
          platform: linkedin
          title: "Corrected deadline"
          effective: 2025-11-03
          deadline: \(deadline)
          regions: [EU, EEA, CH, GB, CA, HK]
          actions: [{id: ai-improvement-toggle, title: Toggle, where: Settings}]
          sources: [{url: "https://example.org/notice", supports: "the corrected deadline"}]
        \(replaces ? "  replaces: true\n" : "")
        """
    }

    @Test func everyShippedFileIsEmbedded() throws {
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Config/policies").standardizedFileURL.path
        let files = try FileManager.default.contentsOfDirectory(atPath: shipped).filter { $0.hasSuffix(".yaml") }
        #expect(files.sorted() == BuiltinCatalog.files.map(\.name).sorted())
        for file in BuiltinCatalog.files {
            let onDisk = try Data(contentsOf: URL(fileURLWithPath: shipped + "/" + file.name))
            #expect(Array(onDisk) == file.bytes, "\(file.name) differs from the embedded copy")
        }
    }

    @Test func everyShippedPolicyHasSourcesWithALink() throws {
        let catalog = try ConfigurationLoader.builtinCatalog()
        #expect(!catalog.policies.isEmpty)
        for policy in catalog.policies {
            #expect(!policy.sources.isEmpty, "\(policy.id) has no sources")
            #expect(policy.sources.contains { $0.url != nil }, "\(policy.id) has no source with a link")
            for source in policy.sources {
                #expect(!source.supports.isEmpty, "\(policy.id): a source supports nothing")
                #expect(source.url != nil || source.title != nil, "\(policy.id): a source with neither url nor title")
            }
            #expect(!policy.summary.isEmpty, "\(policy.id) has no summary")
        }
    }

    @Test func sourcesAreMappingsWithALinkOrATitleAndWhatTheySupport() {
        let (configuration, diagnostics) = load(
            """
            version: 1
            policies:
              - id: p
                platform: linkedin
                title: P
                effective: 2026-01-01
                regions: [DE]
                actions: []
                sources:
                  - "https://example.org/a plain string"
                  - {url: "ftp://example.org", supports: "a fact"}
                  - {supports: "a fact with no origin"}
                  - {url: "https://example.org"}
                  - {title: "A printed report", supports: "a fact"}
            """)
        #expect(configuration == nil)
        #expect(
            diagnostics == [
                "optoutd.yaml:10:9: error: a source must be a mapping such as {url: https://…, supports: \"the fact it supports\"}",
                "optoutd.yaml:11:15: error: the source url 'ftp://example.org' must start with https:// or http://",
                "optoutd.yaml:12:9: error: a source needs a 'url' (or, for a publication without a link, a 'title')",
                "optoutd.yaml:13:9: error: a source needs 'supports'",
            ])
    }

    @Test func aPolicyWithoutActionsIsRead() throws {
        let (configuration, diagnostics) = load(
            """
            version: 1
            policies:
              - {id: informs, platform: linkedin, title: Informs, effective: 2026-01-01, regions: [DE], actions: []}
            """)
        #expect(diagnostics == [])
        #expect(try #require(configuration?.catalog["informs"]).actions.isEmpty)
    }

    @Test func aPolicyInPoliciesDReplacesTheShippedOneWithAWarning() throws {
        let file = directory.write("policies.d/linkedin.yaml", Self.replacement(deadline: "2026-03-01"))
        let (configuration, diagnostics) = load("version: 1\n")
        let shipped = try #require(
            BuiltinCatalog.policies(log: DiagnosticLog()).first { $0.value.id == "linkedin-genai-training-2025" })
        #expect(
            diagnostics == [
                "policies.d/linkedin.yaml:1:3: warning: policy 'linkedin-genai-training-2025' replaces the shipped policy defined at \(shipped.location)"
            ])
        let catalog = try #require(configuration?.catalog)
        let policy = try #require(catalog["linkedin-genai-training-2025"])
        #expect(policy.deadline.description == "2026-03-01")
        #expect(policy.title == "Corrected deadline")
        // In the shipped one's place, and only once.
        let builtin = try ConfigurationLoader.builtinCatalog()
        #expect(catalog.policies.map(\.id) == builtin.policies.map(\.id))
        #expect(ConfigurationLoader().load(path: directory.path + "/optoutd.yaml").files.contains(file))
    }

    @Test func withoutReplacesASecondPolicyWithAShippedIdIsAnError() {
        directory.write("policies.d/linkedin.yaml", Self.replacement(deadline: "2026-03-01", replaces: false))
        let (configuration, diagnostics) = load("version: 1\n")
        #expect(configuration == nil)
        #expect(diagnostics.count == 1)
        #expect(
            diagnostics.first?.hasPrefix(
                "policies.d/linkedin.yaml:1:3: error: duplicate policy id 'linkedin-genai-training-2025' (first defined at <builtin>/linkedin.yaml:"
            ) == true)
    }

    @Test func twoReplacementsOfOnePolicyAreADuplicate() {
        directory.write("policies.d/a.yaml", Self.replacement(deadline: "2026-03-01"))
        directory.write("policies.d/b.yaml", Self.replacement(deadline: "2026-04-01"))
        let (configuration, diagnostics) = load("version: 1\n")
        #expect(configuration == nil)
        #expect(diagnostics.count == 2)
        #expect(
            diagnostics.last
                == "policies.d/b.yaml:1:3: error: duplicate policy id 'linkedin-genai-training-2025' (first defined at policies.d/a.yaml:1:3)"
        )
    }

    @Test func inlineAndIncludedPoliciesReplaceToo() throws {
        directory.write("extra/linkedin.yaml", Self.replacement(deadline: "2026-05-01"))
        let (included, includeDiagnostics) = load("version: 1\ncatalog: {include: [extra/*.yaml]}\n")
        #expect(includeDiagnostics.count == 1)
        #expect(
            includeDiagnostics.first?.hasPrefix(
                "extra/linkedin.yaml:1:3: warning: policy 'linkedin-genai-training-2025' replaces") == true)
        #expect(included?.catalog["linkedin-genai-training-2025"]?.deadline.description == "2026-05-01")

        let inline = Self.replacement(deadline: "2026-06-01").split(separator: "\n").map { "  " + $0 }.joined(
            separator: "\n")
        let (configuration, diagnostics) = load("version: 1\npolicies:\n\(inline)\n")
        #expect(diagnostics.count == 1)
        #expect(
            diagnostics.first?.hasPrefix("optoutd.yaml:3:5: warning: policy 'linkedin-genai-training-2025' replaces")
                == true)
        #expect(configuration?.catalog["linkedin-genai-training-2025"]?.deadline.description == "2026-06-01")
    }

    @Test func replacesWithoutAShippedPolicyAddsItWithAWarning() {
        let (configuration, diagnostics) = load(
            """
            version: 1
            catalog: {builtin: false}
            policies:
            \(Self.replacement(deadline: "2026-03-01").split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            """)
        #expect(
            diagnostics == [
                "optoutd.yaml:4:5: warning: policy 'linkedin-genai-training-2025' says 'replaces: true', but no shipped policy has this id; it is added"
            ])
        #expect(configuration?.catalog.policies.map(\.id) == ["linkedin-genai-training-2025"])
    }
}
