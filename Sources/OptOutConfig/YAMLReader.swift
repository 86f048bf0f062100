import OptOutCore

/// The keys of a YAML mapping, checked against the ones allowed.
struct YAMLFields {
    /// In the order written; a mapping has a few keys, so a list is quicker than a dictionary.
    private let values: [(key: String, node: YAMLNode)]
    let location: SourceLocation

    init(values: [(key: String, node: YAMLNode)], location: SourceLocation) {
        self.values = values
        self.location = location
    }

    /// The value of `key`; `nil` when absent or null.
    subscript(key: String) -> YAMLNode? {
        guard let node = values.first(where: { $0.key == key })?.node, !node.isNull else { return nil }
        return node
    }
}

/// Reads typed values out of a composed YAML document, reporting every problem with its place.
struct YAMLReader {
    let path: String
    let log: DiagnosticLog

    /// Composes `text`; a syntax error or an empty document is reported with its place and gives `nil`.
    func compose(_ text: String) -> YAMLNode? {
        if let (offset, name) = Self.yamlOnlyLineBreak(in: text) {
            var text = text
            let location = text.withUTF8 { SourceLocation(path: path, offset: offset, in: $0) }
            log.error(
                "\(name) is a line break to YAML but not to editors, so lines and comments would end where they do not show; use a plain line break, or an escape in double quotes",
                at: location)
            return nil
        }
        do {
            guard let root = try YAMLComposer.compose(text) else {
                log.error("empty YAML document", at: SourceLocation(path: path, line: 1, column: 1))
                return nil
            }
            return root
        } catch {
            log.error(
                "invalid YAML: \(error.message)", at: SourceLocation(path: path, line: error.line, column: error.column)
            )
            return nil
        }
    }

    /// The first NEL, line separator or paragraph separator of `text`, which libyaml (YAML
    /// 1.1) counts as line breaks: the byte offset, and what it is.
    private static func yamlOnlyLineBreak(in text: String) -> (offset: Int, name: String)? {
        var text = text
        return text.withUTF8 { bytes in
            var index = 0
            while index + 1 < bytes.count {
                switch (bytes[index], bytes[index + 1]) {
                case (0xC2, 0x85): return (index, "U+0085 (next line)")
                case (0xE2, 0x80) where index + 2 < bytes.count && bytes[index + 2] == 0xA8:
                    return (index, "U+2028 (line separator)")
                case (0xE2, 0x80) where index + 2 < bytes.count && bytes[index + 2] == 0xA9:
                    return (index, "U+2029 (paragraph separator)")
                default: index += 1
                }
            }
            return nil
        }
    }

    func location(_ node: YAMLNode) -> SourceLocation {
        SourceLocation(path: path, line: node.line, column: node.column)
    }

    func error(_ message: String, at node: YAMLNode) {
        log.error(message, at: location(node))
    }

    /// A mapping whose keys are all in `allowed`; unknown keys and missing `required` ones are errors.
    func fields(_ node: YAMLNode, _ what: String, allowed: [String], required: [String] = []) -> YAMLFields? {
        guard let mapping = node.mapping else {
            error("\(what) must be a mapping", at: node)
            return nil
        }
        var values: [(key: String, node: YAMLNode)] = []
        values.reserveCapacity(mapping.count)
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                error("keys of \(what) must be plain names", at: key)
                continue
            }
            guard allowed.contains(name) else {
                error(
                    "unknown key \(TerminalText.quoted(name)) in \(what); expected one of: \(allowed.joined(separator: ", "))",
                    at: key)
                continue
            }
            guard !values.contains(where: { $0.key == name }) else {
                error("duplicate key \(TerminalText.quoted(name)) in \(what)", at: key)
                continue
            }
            values.append((name, value))
        }
        let fields = YAMLFields(values: values, location: location(node))
        for name in required where fields[name] == nil {
            error("\(what) needs '\(name)'", at: node)
        }
        return fields
    }

    /// A single-line string (or, with `allowNewlines`, a block of text) of at most
    /// `maximumLength` characters.
    func string(
        _ node: YAMLNode, _ what: String, allowNewlines: Bool = false,
        maximumLength: Int = ConfigurationLimits.lineLength
    ) -> Located<String>? {
        guard let scalar = node.scalar else {
            error("\(what) must be a string", at: node)
            return nil
        }
        let text = Located(value: scalar.string, location: location(node))
        return log.requireSingleLine(text, what, allowNewlines: allowNewlines, maximumLength: maximumLength)
            ? text : nil
    }

    func sequence(_ node: YAMLNode, _ what: String) -> [YAMLNode]? {
        guard let sequence = node.sequence else {
            error("\(what) must be a list", at: node)
            return nil
        }
        return Array(sequence)
    }

    func strings(_ node: YAMLNode, _ what: String, maximumCount: Int = .max) -> [Located<String>]? {
        guard let items = sequence(node, what) else { return nil }
        if items.count > maximumCount {
            error("\(what) has more than \(maximumCount) entries", at: node)
        }
        return items.prefix(maximumCount).compactMap { string($0, "an item of \(what)") }
    }

    func bool(_ node: YAMLNode, _ what: String) -> Bool? {
        switch node.scalar?.string {
        case "true": return true
        case "false": return false
        default:
            error("\(what) must be true or false", at: node)
            return nil
        }
    }

    func integer(_ node: YAMLNode, _ what: String, in range: ClosedRange<Int>) -> Int? {
        guard let text = node.scalar?.string, let value = Int(text), range.contains(value) else {
            error("\(what) must be a whole number from \(range.lowerBound) to \(range.upperBound)", at: node)
            return nil
        }
        return value
    }

    /// A string parsed by `parse`; a failure is reported with `expectation` ("a date (YYYY-MM-DD)").
    func parsed<Value>(_ node: YAMLNode, _ what: String, as expectation: String, _ parse: (String) -> Value?) -> Value?
    {
        guard let text = string(node, what) else { return nil }
        guard let value = parse(text.value) else {
            error("\(what) must be \(expectation), not \(TerminalText.quoted(text.value))", at: node)
            return nil
        }
        return value
    }

    /// A list of event names; every name must be known.
    func events(_ node: YAMLNode, _ what: String) -> Set<EventKind>? {
        guard let names = strings(node, what) else { return nil }
        var events = Set<EventKind>()
        for name in names {
            if let event = EventKind(rawValue: name.value) {
                events.insert(event)
            } else {
                log.error(
                    "unknown event \(TerminalText.quoted(name.value)) in \(what); expected one of: \(EventKind.allCases.map(\.rawValue).joined(separator: ", "))",
                    at: name.location)
            }
        }
        return events
    }
}
