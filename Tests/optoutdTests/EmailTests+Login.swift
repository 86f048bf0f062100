import Foundation
import Testing

extension EmailTests {
    /// A username is for a server that logs in. This one offers no AUTH, as a relay on
    /// port 25 may not: libcurl would send the message without logging in.
    /// Nothing goes out, and the error says why; without the username, the message goes.
    @Test func aServerThatOffersNoLoginGetsNothingWhileAUsernameIsSet() throws {
        let server = try LocalServer(script: "smtp_server.py", [mailbox.path, "--no-auth-offered"])
        let transport = "from: privacy@example.org\ntransport: smtp://127.0.0.1:\(server.port)\nstarttls: off"
        try configure(email: transport + "\nusername: optoutd\npassword_credential: smtp-password")
        #expect(try fixture.runOnce().status == 0)
        #expect(try messages().isEmpty)
        let status = try fixture.run(["status"]).stdout
        #expect(status.contains("does not offer to log in (no AUTH in its EHLO reply)"), "\(status)")
        let probe = try Optoutd.run(
            ["test-notify", "--channel", "email", "--config", fixture.configPath],
            environment: ["CREDENTIALS_DIRECTORY": fixture.credentials.path])
        #expect(probe.status == 69)
        #expect(probe.stdout.contains("failed: email: smtp: the server does not offer to log in"), "\(probe.stdout)")
        #expect(!probe.stdout.contains("correct horse") && !status.contains("correct horse"))
        #expect(try messages().isEmpty)
        try configure(email: transport)
        let plain = try Optoutd.run(["test-notify", "--channel", "email", "--config", fixture.configPath])
        #expect(plain.status == 0, "\(plain.stdout)")
        #expect(try messages().count == 1)
    }
}
