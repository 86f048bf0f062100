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
            switch try await run(document) {
            case .exited(0): continue
            case .exited(let status): throw DeliveryError("hook \(name) exited with status \(status)")
            case .signalled(let signal): throw DeliveryError("hook \(name) was killed by signal \(signal)")
            case .timedOut:
                throw DeliveryError("hook \(name) ran longer than \(settings.timeoutSeconds) s and was killed")
            case .cancelled:
                throw DeliveryError("hook \(name) was stopped: optoutd is stopping", cancelled: true)
            }
        }
    }

    private func run(_ document: NoticeDocument) async throws(DeliveryError) -> Subprocess.Outcome {
        var environment = [
            "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "OPTOUT_TEST": document.test ? "1" : "0",
        ]
        for (field, value) in document.optoutFields { environment[field] = value }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let input: [UInt8]
        do { input = Array(try encoder.encode(document)) + [10] } catch {
            throw DeliveryError("hook \(name): cannot encode the notice: \(error)")
        }
        let process = Subprocess(
            arguments: settings.command, environment: environment, input: input,
            timeout: .seconds(settings.timeoutSeconds))
        let logger = logger
        let name = name
        return try await onOwnThread { cancellation throws(DeliveryError) in
            var output = HookOutput { stream, line in
                logger.log(
                    level: stream == .standardError ? .warning : .info, "\(name): \(line)",
                    metadata: ["OPTOUT_HOOK": "\(name)", "OPTOUT_ACCOUNT": "\(document.account.id)"])
            }
            defer { output.finish() }
            do {
                return try process.run(cancellation: cancellation, output: &output)
            } catch {
                throw DeliveryError("hook \(name): cannot run \(process.arguments[0]): \(error)")
            }
        }
    }
}
