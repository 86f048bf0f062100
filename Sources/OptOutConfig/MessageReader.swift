import Foundation
import OptOutCore
import OptOutRender

/// Reads the `messages:` section, and the templates of `templates/LANG/NAME.mustache`
/// beside the configuration that replace shipped ones.
struct MessageReader {
    let yaml: YAMLReader
    var log: DiagnosticLog { yaml.log }

    /// The settings, with the overrides found in `directory/templates`.
    func messages(_ node: YAMLNode?, directory: String) -> MessageSettings {
        var settings = MessageSettings()
        if let node,
            let fields = yaml.fields(
                node, "messages", allowed: ["from_name", "subject_prefix", "contact", "footer", "language"])
        {
            let length = ConfigurationLimits.nameLength
            settings.fromName =
                fields["from_name"].flatMap { yaml.string($0, "from_name", maximumLength: length) }?
                .value
            settings.subjectPrefix =
                fields["subject_prefix"].flatMap {
                    yaml.string($0, "subject_prefix", maximumLength: length)
                }?.value
            settings.contact = fields["contact"].flatMap { yaml.string($0, "contact", maximumLength: length) }?.value
            settings.footer =
                fields["footer"].flatMap {
                    yaml.string($0, "footer", allowNewlines: true, maximumLength: ConfigurationLimits.lineLength)
                }?.value
            if let node = fields["language"], let language = language(node, "language") {
                settings.language = language
            }
        }
        settings.templateOverrides = overrides(in: (directory as NSString).appendingPathComponent("templates"))
        return settings
    }

    /// A shipped language's code.
    func language(_ node: YAMLNode, _ what: String) -> String? {
        yaml.parsed(node, what, as: "a language optoutd ships (\(MessageLanguage.codes))") {
            MessageLanguage(rawValue: $0)?.rawValue
        }
    }

    /// Every `LANG/NAME.mustache` under `templates`, checked; other files there are reported,
    /// since a misspelt name would otherwise be ignored without a word.
    private func overrides(in templates: String) -> [String: TemplateText] {
        guard let languages = configurationFolderEntries(templates, log: log) else { return [:] }
        let names = MessageTemplates.Name.allCases.map(\.rawValue).joined(separator: ", ")
        var overrides: [String: TemplateText] = [:]
        for directory in languages {
            let path = (templates as NSString).appendingPathComponent(directory)
            guard let language = MessageLanguage(rawValue: directory) else {
                log.warning(
                    "not a language optoutd ships (\(MessageLanguage.codes)); the templates here are not used",
                    at: SourceLocation(path: path, line: 1, column: 1))
                continue
            }
            for file in configurationFolderEntries(path, log: log) ?? [] {
                let filePath = (path as NSString).appendingPathComponent(file)
                guard file.hasSuffix(".mustache"),
                    let name = MessageTemplates.Name(rawValue: String(file.dropLast(".mustache".count)))
                else {
                    log.warning(
                        "not a template name (\(names), each ending in .mustache); this file is not used",
                        at: SourceLocation(path: filePath, line: 1, column: 1))
                    continue
                }
                guard let text = readUTF8File(filePath, log: log) else { continue }
                let source = TemplateText(path: filePath, text: text)
                if let problem = MessageTemplates.problem(in: source, as: name) {
                    log.error(
                        problem.message,
                        at: SourceLocation(path: problem.path, line: problem.line, column: problem.column))
                    continue
                }
                overrides[MessageTemplates.key(language, name)] = source
            }
        }
        return overrides
    }
}
