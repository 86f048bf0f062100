import Mustache
import OptOutCore

/// The Mustache templates of every language: the shipped ones (`Config/templates/LANG/`,
/// compiled into the binary), each replaced by the configuration's file of the same name
/// when there is one.
///
/// HTML templates escape what they insert, as Mustache does by default; every other one
/// is plain text (a subject, a text part) and inserts text as it is.
public struct MessageTemplates: Sendable {
    /// The templates of a language, by file name without `.mustache`.
    public enum Name: String, CaseIterable, Sendable {
        case subject, text, html
        case summarySubject = "summary-subject"
        case summaryText = "summary-text"
        case summaryHTML = "summary-html"
        /// The confirmation page, and the page shown when a link or a form cannot be used.
        case page
        case pageProblem = "page-problem"

        var isHTML: Bool { self == .html || self == .summaryHTML || self == .page || self == .pageProblem }
    }

    private let templates: [String: MustacheTemplate]

    /// The shipped templates with `overrides` (by `LANGUAGE/NAME`) in their place. An
    /// override that does not compile (the configuration reader reports it) leaves the
    /// shipped one in force; the shipped ones compile, which their tests check.
    public init(overrides: [String: TemplateText] = [:]) {
        var templates: [String: MustacheTemplate] = [:]
        for language in MessageLanguage.allCases {
            for name in Name.allCases {
                let key = Self.key(language, name)
                let shipped = TemplateText(
                    path: "<builtin>/templates/\(key).mustache",
                    text: String(decoding: BuiltinTemplates.bytes(language, name), as: UTF8.self))
                do {
                    templates[key] =
                        try overrides[key].flatMap { try? Self.compile($0, as: name) }
                        ?? Self.compile(shipped, as: name)
                } catch {
                    preconditionFailure("a shipped template does not compile: \(error)")
                }
            }
        }
        self.templates = templates
    }

    /// `de/subject`: how overrides are keyed, and the file's place under `templates/`.
    public static func key(_ language: MessageLanguage, _ name: Name) -> String {
        "\(language.rawValue)/\(name.rawValue)"
    }

    /// Why `source` is not a template of this kind, if it is not.
    public static func problem(in source: TemplateText, as name: Name) -> TemplateProblem? {
        do {
            _ = try compile(source, as: name)
            return nil
        } catch {
            return error
        }
    }

    func render(_ name: Name, _ language: MessageLanguage, _ context: Any) -> String {
        templates[Self.key(language, name)]!.render(context)
    }

    /// The pragma that makes a template plain text; it goes on the first line, so a
    /// column there is counted without it.
    private static let plainText = "{{% CONTENT_TYPE: TEXT}}"

    private static func compile(_ source: TemplateText, as name: Name) throws(TemplateProblem) -> MustacheTemplate {
        if let problem = TemplateTags.problem(in: source.text) {
            throw TemplateProblem(
                path: source.path, line: problem.line, column: problem.column,
                message: "not a valid Mustache template: \(problem.message)")
        }
        do {
            return try MustacheTemplate(string: name.isHTML ? source.text : plainText + source.text)
        } catch let error as MustacheTemplate.ParserError {
            let context = error.context
            let column =
                name.isHTML || context.lineNumber > 1 ? context.columnNumber : context.columnNumber - plainText.count
            throw TemplateProblem(
                path: source.path, line: context.lineNumber, column: max(column, 1),
                message: "not a valid Mustache template: \(describe(error.error))")
        } catch {
            throw TemplateProblem(path: source.path, line: 1, column: 1, message: "not a valid Mustache template")
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect: "a section is closed with another name than it was opened with"
        case .unfinishedName: "a tag is not finished"
        case .expectedSectionEnd: "a section is never closed"
        case .invalidSetDelimiter: "a delimiter change is badly written"
        case .invalidConfigVariableSyntax, .unrecognisedConfigVariable: "an unknown pragma"
        default: "\(error)"
        }
    }
}

/// A template that cannot be read, with its place.
public struct TemplateProblem: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { "\(path):\(line):\(column): error: \(message)" }
}
