extension Sequence<UInt8> {
    /// The bytes as lower-case hexadecimal, two digits each: a digest as ids and
    /// fingerprints show it.
    public var hexadecimal: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in self { text += [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]] }
        return String(decoding: text, as: UTF8.self)
    }
}
