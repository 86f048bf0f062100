/// The shipped templates (`Config/templates/LANG/NAME.mustache`), compiled into the binary.
/// SwiftPM names embedded files by their base name alone, so `BuiltinTemplates/` links
/// each one as `LANG-NAME.mustache`; a test checks that every shipped file is linked.
enum BuiltinTemplates {
    static func bytes(_ language: MessageLanguage, _ name: MessageTemplates.Name) -> [UInt8] {
        switch (language, name) {
        case (.en, .subject): PackageResources.en_subject_mustache
        case (.en, .text): PackageResources.en_text_mustache
        case (.en, .html): PackageResources.en_html_mustache
        case (.en, .summarySubject): PackageResources.en_summary_subject_mustache
        case (.en, .summaryText): PackageResources.en_summary_text_mustache
        case (.en, .summaryHTML): PackageResources.en_summary_html_mustache
        case (.en, .page): PackageResources.en_page_mustache
        case (.en, .pageProblem): PackageResources.en_page_problem_mustache
        case (.de, .subject): PackageResources.de_subject_mustache
        case (.de, .text): PackageResources.de_text_mustache
        case (.de, .html): PackageResources.de_html_mustache
        case (.de, .summarySubject): PackageResources.de_summary_subject_mustache
        case (.de, .summaryText): PackageResources.de_summary_text_mustache
        case (.de, .summaryHTML): PackageResources.de_summary_html_mustache
        case (.de, .page): PackageResources.de_page_mustache
        case (.de, .pageProblem): PackageResources.de_page_problem_mustache
        case (.fr, .subject): PackageResources.fr_subject_mustache
        case (.fr, .text): PackageResources.fr_text_mustache
        case (.fr, .html): PackageResources.fr_html_mustache
        case (.fr, .summarySubject): PackageResources.fr_summary_subject_mustache
        case (.fr, .summaryText): PackageResources.fr_summary_text_mustache
        case (.fr, .summaryHTML): PackageResources.fr_summary_html_mustache
        case (.fr, .page): PackageResources.fr_page_mustache
        case (.fr, .pageProblem): PackageResources.fr_page_problem_mustache
        }
    }
}
