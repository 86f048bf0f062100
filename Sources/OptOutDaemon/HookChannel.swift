import Foundation
import Logging
import OptOutCore

/// Runs a configured command for each notice: argv (never a shell), the `OPTOUT_*` fields
/// as environment, the notice's JSON document on standard input. Exit status 0 is
/// delivered; anything else, or running past `timeout`, is retried.
public struct HookChannel: NotificationChannel {
    public let settings: HookSettings
    public let logger: Logger
    /// Hooks of one channel that may run at once.
    public let concurrency: Int

    public init(settings: HookSettings, logger: Logger, concurrency: Int = 4) {
        self.settings = settings
        self.logger = logger
        self.concurrency = concurrency
    }

    public var name: String { settings.name }

    public func deliver(_ documents: [NoticeDocument], to recipient: String?) async throws(DeliveryError) {
        for document in documents {
            let outcome: Subprocess.Outcome
            do {
                outcome = try await run(document)
            } catch {
                throw DeliveryError("hook \(name): cannot run \(settings.command[0]): \(error)")
            }
            switch outcome {
            case .exited(0): continue
            case .exited(let status): throw DeliveryError("hook \(name) exited with status \(status)")
            case .signalled(let signal): throw DeliveryError("hook \(name) was killed by signal \(signal)")
            case .timedOut:
                throw DeliveryError("hook \(name) ran longer than \(settings.timeoutSeconds) s and was killed")
            }
        }
    }

    private func run(_ document: NoticeDocument) async throws -> Subprocess.Outcome {
        var environment = [
            "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "OPTOUT_TEST": document.test ? "1" : "0",
        ]
        for (field, value) in document.optoutFields { environment[field] = value }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let process = Subprocess(
            arguments: settings.command, environment: environment, input: Array(try encoder.encode(document)) + [10],
            timeout: .seconds(settings.timeoutSeconds))
        let logger = logger
        let name = name
        // The program runs on a thread of its own: waiting for it must not hold a task thread.
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(
                    with: Result {
                        try process.run { stream, line in
                            logger.log(
                                level: stream == .standardError ? .warning : .info, "\(name): \(line)",
                                metadata: ["OPTOUT_HOOK": "\(name)", "OPTOUT_ACCOUNT": "\(document.account.id)"])
                        }
                    })
            }.start()
        }
    }
}
