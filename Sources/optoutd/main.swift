import ArgumentParser
import Dispatch
import Foundation
import OptOutDaemon

// Everything optoutd creates (the store, its lock, the folders) is for its own user
// alone, whatever the umask it was started with.
umask(0o077)
StandardStreams.openMissing()

if let topic = OptOutd.unknownHelpTopic(in: CommandLine.arguments.dropFirst()) {
    OptOutd.exit(withError: ValidationError("Unknown command '\(topic)'"))
}
let command: any ParsableCommand
do {
    command = try OptOutd.parseAsRoot()
} catch {
    OptOutd.exit(withError: error)
}

/// Ends the process for an error a command's `run` threw: its message (if any) on
/// standard error and its exit status. Usage was checked when the command line was parsed.
func exit(after error: any Error) -> Never {
    // Help or the version, asked for: shown as the argument parser shows them.
    if OptOutd.exitCode(for: error) == .success { OptOutd.exit(withError: error) }
    let message = OptOutd.message(for: error)
    if !message.isEmpty { standardError("optoutd: \(message)") }
    exit(OptOutd.exitCode(for: error).rawValue)
}

/// Runs an async command as a task on optoutd's own threads, which sleep until there is
/// work (see ConcurrencyThreads); the main thread then only waits.
func runAsTask<Command: AsyncParsableCommand & Sendable>(_ command: Command) -> Never {
    ConcurrencyThreads.unsafeTakeOver()
    Task.detached {
        var command = command
        do {
            try await command.run()
        } catch {
            exit(after: error)
        }
        exit(EXIT_SUCCESS)
    }
    dispatchMain()
}

switch command {
case let run as RunCommand:
    // From the first moment the daemon knows it is one: SIGHUP while a large configuration
    // loads must not end it, and SIGTERM must still stop it once it is loaded.
    if !run.once { SignalRelay.holdSignals() }
    runAsTask(run)
case let testNotify as TestNotifyCommand:
    runAsTask(testNotify)
case let serve as ServeCommand:
    // Long-running on swift-nio's own threads: the main thread only waits for it to end.
    // A SIGHUP before it serves must not end it; it serves the file as it reads it then.
    signal(SIGHUP, SIG_IGN)
    do {
        try serve.run()
    } catch {
        exit(after: error)
    }
default:
    // A command that loads, works once and exits runs on the main thread, with memory
    // tuned for that (see OneShotMemory).
    OneShotMemory.keepFreedMemory()
    do {
        var oneShot = command
        try oneShot.run()
    } catch {
        exit(after: error)
    }
}
