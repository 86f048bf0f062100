import OptOutCore
import Yams

/// The keys of a YAML mapping, checked against the ones allowed.
struct YAMLFields {
    private let values: [String: Node]
    let location: SourceLocation

    init(values: [String: Node], location: SourceLocation) {
        self.values = values
        self.location = location
    }

    /// The value of `key`; `nil` when absent or null.
    subscript(key: String) -> Node? {
        guard let node = values[key], !node.isNull else { return nil }
        return node
    }
}

/// Reads typed values out of a composed YAML document, reporting every problem with its place.
struct YAMLReader {
    let path: String
    let log: DiagnosticLog

    /// Composes `text`; a syntax error is reported with its place and gives `nil`.
    func compose(_ text: String) -> Node? {
        do {
            // The basic resolver tags every scalar a string: the readers below decide what
            // a value means, and Yams' regular-expression tag resolution is most of its cost.
            return try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            switch error {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                .composer(let context, let problem, let mark, _):
                let detail = context.map { "\($0.text); " } ?? ""
                log.error("invalid YAML: \(detail)\(problem)", at: location(mark))
            case .duplicatedKeysInMapping(let duplicates, let context):
                log.error(
                    "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in mapping",
                    at: location(context.mark))
            case .reader(let problem, _, _, _):
                log.error("invalid YAML: \(problem)", at: SourceLocation(path: path, line: 1, column: 1))
            default:
                log.error("invalid YAML: \(error)", at: SourceLocation(path: path, line: 1, column: 1))
            }
        } catch {
            log.error("invalid YAML: \(error)", at: SourceLocation(path: path, line: 1, column: 1))
        }
        return nil
    }

    func location(_ mark: Mark?) -> SourceLocation {
        SourceLocation(path: path, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    func location(_ node: Node) -> SourceLocation { location(node.mark) }

    func error(_ message: String, at node: Node) {
        log.error(message, at: location(node))
    }

    /// A mapping whose keys are all in `allowed`; unknown keys and missing `required` ones are errors.
    func fields(_ node: Node, _ what: String, allowed: [String], required: [String] = []) -> YAMLFields? {
        guard let mapping = node.mapping else {
            error("\(what) must be a mapping", at: node)
            return nil
        }
        var values: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                error("keys of \(what) must be plain names", at: key)
                continue
            }
            guard allowed.contains(name) else {
                error("unknown key '\(name)' in \(what); expected one of: \(allowed.joined(separator: ", "))", at: key)
                continue
            }
            values[name] = value
        }
        let fields = YAMLFields(values: values, location: location(node))
        for name in required where fields[name] == nil {
            error("\(what) needs '\(name)'", at: node)
        }
        return fields
    }

    /// A single-line string (or, with `allowNewlines`, a block of text).
    func string(_ node: Node, _ what: String, allowNewlines: Bool = false) -> Located<String>? {
        guard let scalar = node.scalar else {
            error("\(what) must be a string", at: node)
            return nil
        }
        let text = Located(value: scalar.string, location: location(node))
        return log.requireSingleLine(text, what, allowNewlines: allowNewlines) ? text : nil
    }

    func sequence(_ node: Node, _ what: String) -> [Node]? {
        guard let sequence = node.sequence else {
            error("\(what) must be a list", at: node)
            return nil
        }
        return Array(sequence)
    }

    func strings(_ node: Node, _ what: String) -> [Located<String>]? {
        sequence(node, what).map { $0.compactMap { string($0, "an item of \(what)") } }
    }

    func bool(_ node: Node, _ what: String) -> Bool? {
        switch node.scalar?.string {
        case "true": return true
        case "false": return false
        default:
            error("\(what) must be true or false", at: node)
            return nil
        }
    }

    func integer(_ node: Node, _ what: String, in range: ClosedRange<Int>) -> Int? {
        guard let text = node.scalar?.string, let value = Int(text), range.contains(value) else {
            error("\(what) must be a whole number from \(range.lowerBound) to \(range.upperBound)", at: node)
            return nil
        }
        return value
    }

    /// A string parsed by `parse`; a failure is reported with `expectation` ("a date (YYYY-MM-DD)").
    func parsed<Value>(_ node: Node, _ what: String, as expectation: String, _ parse: (String) -> Value?) -> Value? {
        guard let text = string(node, what) else { return nil }
        guard let value = parse(text.value) else {
            error("\(what) must be \(expectation), not '\(text.value)'", at: node)
            return nil
        }
        return value
    }

    /// A list of event names; every name must be known.
    func events(_ node: Node, _ what: String) -> Set<EventKind>? {
        guard let names = strings(node, what) else { return nil }
        var events = Set<EventKind>()
        for name in names {
            if let event = EventKind(rawValue: name.value) {
                events.insert(event)
            } else {
                log.error(
                    "unknown event '\(name.value)' in \(what); expected one of: \(EventKind.allCases.map(\.rawValue).joined(separator: ", "))",
                    at: name.location)
            }
        }
        return events
    }
}

extension Node {
    /// YAML's null: an empty or `~`/`null` plain scalar (the core schema's spellings).
    var isNull: Bool {
        guard let scalar, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }
}
