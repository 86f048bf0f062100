import CYAML
import OptOutCore

/// A node of a composed YAML document, with the place it starts (1-based line and column,
/// the column in Unicode scalars, as libyaml counts).
///
/// Every scalar is kept as its text: the readers decide what a value means, so nothing is
/// resolved to a type on the way.
struct YAMLNode {
    enum Content {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([(key: YAMLNode, value: YAMLNode)])
    }

    let content: Content
    let line: Int
    let column: Int

    var scalar: YAMLScalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    var mapping: [(key: YAMLNode, value: YAMLNode)]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// The same node and everything in it, each placed at `line` and `column`.
    func relocated(line: Int, column: Int) -> YAMLNode {
        let content: Content =
            switch content {
            case .scalar: content
            case .sequence(let items): .sequence(items.map { $0.relocated(line: line, column: column) })
            case .mapping(let pairs):
                .mapping(
                    pairs.map {
                        ($0.key.relocated(line: line, column: column), $0.value.relocated(line: line, column: column))
                    })
            }
        return YAMLNode(content: content, line: line, column: column)
    }

    /// YAML's null: an empty or `~`/`null` plain scalar (the core schema's spellings).
    var isNull: Bool {
        guard let scalar, scalar.isPlain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }
}

struct YAMLScalar {
    let string: String
    /// Written without quotes or block indicators (only a plain scalar can be null).
    let isPlain: Bool
}

/// Why a text is not one YAML document.
struct YAMLSyntaxError: Error {
    let message: String
    let line: Int
    let column: Int
}
