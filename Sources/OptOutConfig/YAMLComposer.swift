import CYAML
import OptOutCore

/// Composes YAML text into `YAMLNode`s from libyaml's events.
///
/// Yams (used before) composes the same events into its own nodes, with a tag object per
/// node and a dictionary per mapping to find duplicate keys: for a 100,000-account inventory
/// that was most of the time spent loading it. Duplicate keys are found by `YAMLReader.fields`.
final class YAMLComposer {
    private var parser = yaml_parser_t()
    /// Anchored nodes, with how many nodes each holds (itself included).
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    /// How deep collections may nest: a configuration needs a handful of levels, and a
    /// hostile file must not exhaust the stack.
    static let maximumDepth = 64
    /// How many nodes the document may hold, counting every node an alias repeats. Without
    /// aliases a document has fewer nodes than bytes; aliases may reuse parts of it, but not
    /// multiply it (a few kilobytes that repeat one mapping thousands of times thousands of
    /// times would take hours and gigabytes to read).
    private var nodeBudget = 0
    private var nodes = 0
    /// The document's bytes, while `document(_:)` reads them.
    private var input = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    /// The tags of YAML's core schema, which mean what an untagged value means here. Any
    /// other tag (`!!binary`, `!!set`, application tags) asks for something optoutd does not do.
    static let coreTags: Set<String> = [
        "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:float", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map",
    ]

    /// The single document of `text`; `nil` when it has none.
    static func compose(_ text: String) throws(YAMLSyntaxError) -> YAMLNode? {
        var text = text
        let result = text.withUTF8 { bytes in
            Result { () throws(YAMLSyntaxError) in try YAMLComposer().document(bytes) }
        }
        return try result.get()
    }

    private init() {
        yaml_parser_initialize(&parser)
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
    }

    deinit {
        yaml_parser_delete(&parser)
    }

    private func document(_ bytes: UnsafeBufferPointer<UInt8>) throws(YAMLSyntaxError) -> YAMLNode? {
        input = bytes
        defer { input = UnsafeBufferPointer(start: nil, count: 0) }
        yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
        nodeBudget = 2 * bytes.count + 10_000
        try skip()  // stream start
        guard var documentStart = try next(unless: YAML_STREAM_END_EVENT) else { return nil }  // an empty stream
        yaml_event_delete(&documentStart)
        let root = try node(from: try next(), depth: 0)
        try skip()  // document end
        if var another = try next(unless: YAML_STREAM_END_EVENT) {
            let (line, column) = (Int(another.start_mark.line) + 1, Int(another.start_mark.column) + 1)
            yaml_event_delete(&another)
            throw YAMLSyntaxError(
                message: "expected a single document in the stream; but found another document", line: line,
                column: column)
        }
        return root
    }

    /// Reads past an event that carries nothing (stream start, document end).
    private func skip() throws(YAMLSyntaxError) {
        var event = try next()
        yaml_event_delete(&event)
    }

    /// The next event, or `nil` (having dropped it) when it is of type `end`.
    private func next(unless end: yaml_event_type_t) throws(YAMLSyntaxError) -> yaml_event_t? {
        var event = try next()
        guard event.type == end else { return event }
        yaml_event_delete(&event)
        return nil
    }

    private func next() throws(YAMLSyntaxError) -> yaml_event_t {
        var event = yaml_event_t()
        guard yaml_parser_parse(&parser, &event) == 1 else {
            let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
            let context = parser.context.map { String(cString: $0) + "; " } ?? ""
            if parser.error == YAML_READER_ERROR {
                // The reader gives no line and column, only the offset of the byte it refused.
                let place = SourceLocation(path: "", offset: min(Int(parser.problem_offset), input.count), in: input)
                throw YAMLSyntaxError(message: problem, line: place.line, column: place.column)
            }
            throw YAMLSyntaxError(
                message: context + problem, line: Int(parser.problem_mark.line) + 1,
                column: Int(parser.problem_mark.column) + 1)
        }
        return event
    }

    /// The node that starts with `event` (which it consumes), through its end event; `depth`
    /// collections enclose it.
    private func node(from start: consuming yaml_event_t, depth: Int) throws(YAMLSyntaxError) -> YAMLNode {
        try sizedNode(from: start, depth: depth).node
    }

    /// The node that starts with `event`, and how many nodes it holds.
    private func sizedNode(from start: consuming yaml_event_t, depth: Int) throws(YAMLSyntaxError) -> (
        node: YAMLNode, size: Int
    ) {
        var event = start
        defer { yaml_event_delete(&event) }
        let line = Int(event.start_mark.line) + 1
        let column = Int(event.start_mark.column) + 1
        guard depth < Self.maximumDepth else {
            throw YAMLSyntaxError(
                message: "nested more than \(Self.maximumDepth) levels deep", line: line, column: column)
        }
        let composed: YAMLNode
        var size = 1
        let anchor: UnsafeMutablePointer<yaml_char_t>?
        let tag: UnsafeMutablePointer<yaml_char_t>?
        switch event.type {
        case YAML_ALIAS_EVENT:
            let name = Self.text(event.data.alias.anchor)
            guard let target = anchors[name] else {
                throw YAMLSyntaxError(message: "found undefined alias", line: line, column: column)
            }
            try count(target.size, line: line, column: column)
            // A mistake in the repeated value is reported where the alias stands: the line
            // of the anchor holds it too, but an error there for a second account (or a
            // duplicate id "also defined" at its own place) would not say which use is meant.
            return (target.node.relocated(line: line, column: column), target.size)
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            tag = scalar.tag
            let string = String(
                decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            composed = YAMLNode(
                content: .scalar(YAMLScalar(string: string, isPlain: scalar.style == YAML_PLAIN_SCALAR_STYLE)),
                line: line, column: column)
            anchor = scalar.anchor
        case YAML_SEQUENCE_START_EVENT:
            anchor = event.data.sequence_start.anchor
            tag = event.data.sequence_start.tag
            try check(tag, line: line, column: column)
            var items: [YAMLNode] = []
            while let item = try next(unless: YAML_SEQUENCE_END_EVENT) {
                let (node, itemSize) = try sizedNode(from: item, depth: depth + 1)
                items.append(node)
                size += itemSize
            }
            composed = YAMLNode(content: .sequence(items), line: line, column: column)
        case YAML_MAPPING_START_EVENT:
            anchor = event.data.mapping_start.anchor
            tag = event.data.mapping_start.tag
            try check(tag, line: line, column: column)
            var pairs: [(key: YAMLNode, value: YAMLNode)] = []
            while let keyEvent = try next(unless: YAML_MAPPING_END_EVENT) {
                let key = try sizedNode(from: keyEvent, depth: depth + 1)
                let value = try sizedNode(from: try next(), depth: depth + 1)
                pairs.append((key.node, value.node))
                size += key.size + value.size
            }
            composed = YAMLNode(content: .mapping(pairs), line: line, column: column)
        default:
            throw YAMLSyntaxError(message: "unexpected YAML event \(event.type)", line: line, column: column)
        }
        if event.type == YAML_SCALAR_EVENT { try check(tag, line: line, column: column) }
        try count(1, line: line, column: column)
        if let anchor { anchors[Self.text(anchor)] = (composed, size) }
        return (composed, size)
    }

    /// Counts `added` nodes against the document's budget.
    private func count(_ added: Int, line: Int, column: Int) throws(YAMLSyntaxError) {
        nodes += added
        guard nodes <= nodeBudget else {
            throw YAMLSyntaxError(
                message:
                    "aliases expand the document to more than \(nodeBudget) nodes; repeat less through anchors and aliases",
                line: line, column: column)
        }
    }

    /// Refuses a tag outside the core schema.
    private func check(_ tag: UnsafeMutablePointer<yaml_char_t>?, line: Int, column: Int) throws(YAMLSyntaxError) {
        guard let tag else { return }
        let name = Self.text(tag)
        guard Self.coreTags.contains(name) else {
            let shown = name.hasPrefix("tag:yaml.org,2002:") ? "!!" + name.dropFirst("tag:yaml.org,2002:".count) : name
            throw YAMLSyntaxError(
                message: "the YAML tag '\(shown.prefix(80))' is not supported; write plain values without tags",
                line: line, column: column)
        }
    }

    private static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }
}
