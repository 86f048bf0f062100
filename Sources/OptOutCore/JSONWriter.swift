/// Writes JSON text directly: reports can hold millions of values, and a generic encoder
/// would dominate their cost.
public struct JSONWriter {
    public private(set) var output = ""

    public init() {}

    public mutating func string(_ value: String) {
        output.append("\"")
        var plain = true
        for scalar in value.unicodeScalars where scalar.value < 0x20 || scalar == "\"" || scalar == "\\" {
            plain = false
            break
        }
        if plain {
            output.append(value)
        } else {
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": output.append("\\\"")
                case "\\": output.append("\\\\")
                case "\n": output.append("\\n")
                case "\r": output.append("\\r")
                case "\t": output.append("\\t")
                case _ where scalar.value < 0x20:
                    output.append("\\u00")
                    output.append(pad(Int(scalar.value / 16), 1))
                    output.append(String(scalar.value % 16, radix: 16))
                default: output.unicodeScalars.append(scalar)
                }
            }
        }
        output.append("\"")
    }

    public mutating func raw(_ text: String) {
        output.append(text)
    }

    /// An object whose members are written by `body` with `member(_:_:)`.
    public mutating func object(_ body: (inout ObjectWriter) -> Void) {
        var object = ObjectWriter(writer: self)
        output = ""
        object.writer.output.append("{")
        body(&object)
        object.writer.output.append("}")
        self = object.writer
    }

    public mutating func array<Element>(_ elements: some Sequence<Element>, _ write: (inout JSONWriter, Element) -> Void) {
        output.append("[")
        var first = true
        for element in elements {
            if !first { output.append(",") }
            first = false
            write(&self, element)
        }
        output.append("]")
    }

    public mutating func strings(_ values: [String]) {
        array(values) { $0.string($1) }
    }

    /// Writes the members of one object.
    public struct ObjectWriter {
        fileprivate var writer: JSONWriter
        private var first = true

        fileprivate init(writer: JSONWriter) {
            self.writer = writer
        }

        public mutating func member(_ name: String, _ write: (inout JSONWriter) -> Void) {
            if !first { writer.output.append(",") }
            first = false
            writer.string(name)
            writer.output.append(":")
            write(&writer)
        }

        public mutating func member(_ name: String, _ value: String?) {
            member(name) { writer in
                if let value { writer.string(value) } else { writer.raw("null") }
            }
        }

        public mutating func member(_ name: String, _ value: Int) {
            member(name) { $0.raw(String(value)) }
        }

        public mutating func member(_ name: String, _ value: Bool) {
            member(name) { $0.raw(value ? "true" : "false") }
        }

        public mutating func member(_ name: String, _ values: [String]) {
            member(name) { $0.strings(values) }
        }
    }
}
