/// Why a delivery did not arrive.
public struct DeliveryError: Error, Sendable, CustomStringConvertible {
    public var description: String
    /// Retrying cannot help (such as HTTP 400): the delivery is given up at once.
    public var permanent: Bool
    /// The delivery was stopped because optoutd is stopping: it stays waiting as it was.
    public var cancelled: Bool

    public init(_ description: String, permanent: Bool = false, cancelled: Bool = false) {
        self.description = description
        self.permanent = permanent
        self.cancelled = cancelled
    }
}
