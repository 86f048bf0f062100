/// Runs independent pieces of work and returns their results in order.
///
/// The core starts no threads of its own: a caller that wants pieces run on several
/// processors passes an implementation that does (OptOutConfig's `ThreadedMap`).
public protocol ParallelMap: Sendable {
    /// How many pieces are run at once at most.
    var width: Int { get }

    /// `elements.map(transform)`, each element transformed apart from the others.
    func map<Element: Sendable, Result: Sendable>(
        _ elements: [Element], _ transform: @Sendable (Element) -> Result
    ) -> [Result]
}

/// Runs every piece in turn on the calling thread.
public struct SequentialMap: ParallelMap {
    public init() {}

    public var width: Int { 1 }

    public func map<Element: Sendable, Result: Sendable>(
        _ elements: [Element], _ transform: @Sendable (Element) -> Result
    ) -> [Result] {
        elements.map(transform)
    }
}
