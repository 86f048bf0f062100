import OptOutCore

/// Values that point elsewhere: credentials in `$CREDENTIALS_DIRECTORY` and URLs optoutd
/// connects to or hands out.
extension YAMLReader {
    /// A file name in `$CREDENTIALS_DIRECTORY`.
    func credentialName(_ node: YAMLNode, _ what: String) -> String? {
        parsed(node, what, as: "a credential name (a file name, no '/')") { text in
            !text.isEmpty && !text.contains("/") && text != "." && text != ".." ? text : nil
        }
    }

    /// A URL of one of `schemes` with a host, a valid port and no user name or password in it.
    func checkedURL(_ node: YAMLNode, _ what: String, schemes: [String]) -> String? {
        guard let text = string(node, what) else { return nil }
        if let problem = URLAuthority.problem(in: text.value, schemes: schemes) {
            error("\(what) \(TerminalText.quoted(text.value)) \(problem)", at: node)
            return nil
        }
        return text.value
    }
}
