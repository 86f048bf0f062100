import CSystemd
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program directly (argv, never a shell) in its own process group, feeds it
/// standard input, hands each line it prints to `onLine`, and ends the whole group
/// with SIGTERM, then SIGKILL, when it runs out of time.
struct Subprocess {
    enum Stream: Sendable { case standardOutput, standardError }

    enum Outcome: Equatable, Sendable {
        case exited(Int32)
        case signalled(Int32)
        case timedOut
    }

    var arguments: [String]
    var environment: [String: String]
    var input: [UInt8]
    var timeout: Duration
    /// Time between SIGTERM and SIGKILL.
    var grace: Duration = .seconds(5)

    /// Runs to the end on the calling thread.
    func run(onLine: (Stream, String) -> Void) throws -> Outcome {
        var stdin: [Int32] = [-1, -1]
        var stdout: [Int32] = [-1, -1]
        var stderr: [Int32] = [-1, -1]
        guard optoutd_pipe_cloexec(&stdin) == 0, optoutd_pipe_cloexec(&stdout) == 0, optoutd_pipe_cloexec(&stderr) == 0
        else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin[0], 0)
        posix_spawn_file_actions_adddup2(&actions, stdout[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderr[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        [stdin[0], stdout[1], stderr[1]].forEach { _ = close($0) }
        guard spawned == 0 else {
            [stdin[1], stdout[0], stderr[0]].forEach { _ = close($0) }
            throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO)
        }
        _ = input.withUnsafeBytes { write(stdin[1], $0.baseAddress, $0.count) }
        close(stdin[1])

        let deadline = ContinuousClock.now + timeout
        var buffers: [Int32: [UInt8]] = [stdout[0]: [], stderr[0]: []]
        var open = [stdout[0], stderr[0]]
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !open.isEmpty, ContinuousClock.now < deadline {
            var descriptors = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let left = deadline - ContinuousClock.now
            let milliseconds = Int32(
                clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            guard poll(&descriptors, nfds_t(descriptors.count), milliseconds) > 0 else { continue }
            for descriptor in descriptors where descriptor.revents != 0 {
                let count = read(descriptor.fd, &chunk, chunk.count)
                let stream: Stream = descriptor.fd == stdout[0] ? .standardOutput : .standardError
                if count <= 0 {
                    open.removeAll { $0 == descriptor.fd }
                    if let rest = buffers[descriptor.fd], !rest.isEmpty {
                        onLine(stream, String(decoding: rest, as: UTF8.self))
                    }
                    continue
                }
                buffers[descriptor.fd, default: []] += chunk[..<count]
                while let newline = buffers[descriptor.fd]!.firstIndex(of: UInt8(ascii: "\n")) {
                    onLine(stream, String(decoding: buffers[descriptor.fd]![..<newline], as: UTF8.self))
                    buffers[descriptor.fd]!.removeSubrange(...newline)
                }
            }
        }
        [stdout[0], stderr[0]].forEach { _ = close($0) }

        if let status = waitForExit(pid, until: deadline) { return status }
        kill(-pid, SIGTERM)
        if waitForExit(pid, until: ContinuousClock.now + grace) == nil {
            kill(-pid, SIGKILL)
            _ = waitForExit(pid, until: .now + .seconds(60))
        }
        kill(-pid, SIGKILL)  // anything the program left behind in its group
        return .timedOut
    }

    /// Reaps `pid` if it exits before `deadline`.
    private func waitForExit(_ pid: pid_t, until deadline: ContinuousClock.Instant) -> Outcome? {
        repeat {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                let signal = status & 0x7F
                return signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
            }
            usleep(10_000)
        } while ContinuousClock.now < deadline
        return nil
    }
}
