/// `1 account`, `2 accounts`: a count and its noun as a sentence says them.
public func counted(_ count: Int, _ one: String, _ many: String? = nil) -> String {
    "\(count) \(count == 1 ? one : many ?? one + "s")"
}
