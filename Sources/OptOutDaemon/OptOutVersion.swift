/// The version `optoutd --version` prints and clients send.
public enum OptOutVersion {
    public static let current = "0.2.0"
}
