import Foundation
import OptOutCore
import OptOutDaemon
import Testing

/// Deliveries that keep failing, as the service manager shows them.
extension FaultTests {
    /// A webhook whose server is down: the service's status line says what waits, as
    /// `optoutd status` does, not only what comes next.
    @Test func theStatusLineCountsWhatWaitsToBeDelivered() throws {
        let account = fixture.account("waits")
        try fixture.writeConfig(
            accounts: "  - {id: \(account), region: DE}",
            extra: "channels:\n  webhooks: [{name: chat, url: \"http://127.0.0.1:9/hook\"}]")
        let notify = try NotifySocket()
        let daemon = try fixture.start(environment: ["NOTIFY_SOCKET": notify.path])
        defer { daemon.stop() }
        let messages = notify.wait(timeout: .seconds(20)) { $0.contains("outbox: 1 waiting for chat") }
        #expect(
            messages.contains { $0.contains("STATUS=") && $0.contains("; outbox: 1 waiting for chat") }, "\(messages)")
    }
}
