import OptOutCore

/// The shipped policy catalog (`Config/policies/`), compiled into the binary so that
/// optoutd works before it is installed.
enum BuiltinCatalog {
    /// Each shipped file, with the name its diagnostics use: every file of `Config/policies/`
    /// (a test checks that none is missing).
    static let files: [(name: String, bytes: [UInt8])] = [
        ("linkedin.yaml", PackageResources.linkedin_yaml),
        ("facebook.yaml", PackageResources.facebook_yaml),
        ("instagram.yaml", PackageResources.instagram_yaml),
        ("x.yaml", PackageResources.x_yaml),
        ("claude.yaml", PackageResources.claude_yaml),
        ("copilot.yaml", PackageResources.copilot_yaml),
        ("tumblr.yaml", PackageResources.tumblr_yaml),
        ("wordpress.yaml", PackageResources.wordpress_yaml),
    ]

    static func policies(log: DiagnosticLog) -> [Located<Policy>] {
        files.flatMap { file -> [Located<Policy>] in
            let path = "<builtin>/\(file.name)"
            let reader = YAMLReader(path: path, log: log)
            guard let text = decodeUTF8(file.bytes, path: path, log: log), let node = reader.compose(text) else {
                return []
            }
            return PolicyReader(yaml: reader).policies(inFile: node).map(\.policy)
        }
    }
}
