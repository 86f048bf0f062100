import CSystemd

#if canImport(Glibc)
    import Glibc
#endif

/// The listening socket systemd passes to a socket-activated service (`sd_listen_fds`).
enum SocketActivation {
    enum Problem: Error, CustomStringConvertible {
        case notOneSocket(Int)
        case notAListeningStream

        var description: String {
            switch self {
            case .notOneSocket(let count):
                "systemd passed \(count) sockets; optoutd serve takes exactly one (one ListenStream= in optoutd-web.socket)"
            case .notAListeningStream: "the socket systemd passed is not a listening stream socket"
            }
        }
    }

    /// The passed socket, or `nil` when the process was not socket-activated.
    static func passedSocket() throws(Problem) -> CInt? {
        // Unsets $LISTEN_FDS and $LISTEN_PID, so that hooks and children never see them.
        let count = Int(sd_listen_fds(1))
        guard count > 0 else { return nil }
        guard count == 1 else { throw .notOneSocket(count) }
        let descriptor = SD_LISTEN_FDS_START
        guard sd_is_socket(descriptor, AF_UNSPEC, Int32(SOCK_STREAM.rawValue), 1) > 0 else {
            throw .notAListeningStream
        }
        return descriptor
    }
}
