import CLinux
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program directly (argv, never a shell) in its own process group, feeds it
/// standard input, and hands what it prints to a `HookOutput`.
///
/// Everything happens in one `poll(2)` loop on the calling thread: standard input is
/// written without blocking as the program reads it (a program that never reads cannot
/// hold the loop), output is read as it comes, and the program's exit is seen on a pidfd.
/// The program's own exit ends the run, even while a child it left in the background keeps
/// its output open; the whole process group is then killed. Running out of time, or the
/// flag being raised (the daemon stops), ends the group with SIGTERM, then SIGKILL.
struct Subprocess {
    enum Outcome: Equatable, Sendable {
        case exited(Int32)
        case signalled(Int32)
        case timedOut
        /// The cancellation flag was raised: the program was stopped.
        case cancelled
    }

    var arguments: [String]
    var environment: [String: String]
    var input: [UInt8]
    var timeout: Duration
    /// Time between SIGTERM and SIGKILL.
    var grace: Duration = .seconds(2)

    /// Runs to the end on the calling thread.
    func run(cancellation: CancellationFlag, output: inout HookOutput) throws -> Outcome {
        var stdin: [Int32] = [-1, -1]
        var stdout: [Int32] = [-1, -1]
        var stderr: [Int32] = [-1, -1]
        guard optoutd_pipe_cloexec(&stdin) == 0, optoutd_pipe_cloexec(&stdout) == 0, optoutd_pipe_cloexec(&stderr) == 0
        else {
            throw SpawnFailure(errno: errno)
        }
        let pid = try spawn(stdin: stdin[0], stdout: stdout[1], stderr: stderr[1])
        [stdin[0], stdout[1], stderr[1]].forEach { _ = close($0) }
        for descriptor in [stdin[1], stdout[0], stderr[0]] {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        }
        let exit = optoutd_pidfd_open(pid)
        var inputLeft = input.isEmpty ? -1 : stdin[1]
        if inputLeft < 0 { close(stdin[1]) }
        var written = 0
        var streams: [(descriptor: Int32, stream: HookOutput.Stream)] = [
            (stdout[0], .standardOutput), (stderr[0], .standardError),
        ]
        defer {
            if inputLeft >= 0 { close(inputLeft) }
            streams.forEach { _ = close($0.descriptor) }
            if exit >= 0 { close(exit) }
        }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        /// Reads what is there now; whether the stream is still open.
        func read(_ descriptor: Int32, _ stream: HookOutput.Stream) -> Bool {
            while true {
                let count = Glibc.read(descriptor, &chunk, chunk.count)
                if count > 0 {
                    chunk.withUnsafeBufferPointer {
                        output.take(UnsafeBufferPointer(rebasing: $0[..<count]), from: stream)
                    }
                    continue
                }
                return count < 0 && (errno == EAGAIN || errno == EINTR)
            }
        }

        let deadline = ContinuousClock.now + timeout
        var status: Outcome?
        while status == nil {
            if cancellation.isRaised { return stop(pid, .cancelled) }
            let left = deadline - ContinuousClock.now
            if left <= .zero { return stop(pid, .timedOut) }
            var descriptors = streams.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
            if inputLeft >= 0 { descriptors.append(pollfd(fd: inputLeft, events: Int16(POLLOUT), revents: 0)) }
            if exit >= 0 { descriptors.append(pollfd(fd: exit, events: Int16(POLLIN), revents: 0)) }
            // The flag is looked at ten times a second; nothing else needs a timeout here.
            let wait = min(left, .milliseconds(100))
            let milliseconds = Int32(
                wait.components.seconds * 1000 + wait.components.attoseconds / 1_000_000_000_000_000 + 1)
            guard poll(&descriptors, nfds_t(descriptors.count), milliseconds) >= 0 || errno == EINTR else {
                return stop(pid, .timedOut)
            }
            for descriptor in descriptors where descriptor.revents != 0 {
                if descriptor.fd == inputLeft {
                    let count = input.withUnsafeBytes {
                        write(inputLeft, $0.baseAddress! + written, $0.count - written)
                    }
                    if count > 0 { written += count }
                    // Done, or the program closed its input (EPIPE): it gets no more.
                    if written == input.count || (count < 0 && errno != EAGAIN && errno != EINTR) {
                        close(inputLeft)
                        inputLeft = -1
                    }
                } else if let index = streams.firstIndex(where: { $0.descriptor == descriptor.fd }) {
                    if !read(descriptor.fd, streams[index].stream) {
                        close(descriptor.fd)
                        streams.remove(at: index)
                    }
                }
            }
            // Without a pidfd (an old kernel) the exit is looked for on every turn.
            if exit < 0 || descriptors.contains(where: { $0.fd == exit && $0.revents != 0 }) {
                status = reap(pid)
            }
            if exit < 0 && status == nil && streams.isEmpty { usleep(10_000) }
        }
        // What the program wrote before it exited; a background child may write on, unread.
        for (descriptor, stream) in streams { _ = read(descriptor, stream) }
        kill(-pid, SIGKILL)  // anything the program left behind in its group
        return status!
    }

    private func spawn(stdin: Int32, stdout: Int32, stderr: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The daemon blocks or handles signals; the program starts with the defaults.
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
        guard spawned == 0 else {
            [stdin, stdout, stderr].forEach { _ = close($0) }
            throw SpawnFailure(errno: spawned)
        }
        return pid
    }

    /// Ends the program's group: SIGTERM, then SIGKILL once `grace` has passed.
    private func stop(_ pid: pid_t, _ outcome: Outcome) -> Outcome {
        kill(-pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while reap(pid) == nil {
            if ContinuousClock.now >= deadline {
                kill(-pid, SIGKILL)
                _ = waitpid(pid, nil, 0)
                break
            }
            usleep(10_000)
        }
        kill(-pid, SIGKILL)
        return outcome
    }

    /// The program's exit, if it has exited (it is reaped then).
    private func reap(_ pid: pid_t) -> Outcome? {
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
    }
}

/// Why a program could not be started, as the system says it ("No such file or
/// directory"), for the message that names the program.
struct SpawnFailure: Error, CustomStringConvertible {
    var errno: Int32
    var description: String { String(cString: strerror(errno)) }
}
