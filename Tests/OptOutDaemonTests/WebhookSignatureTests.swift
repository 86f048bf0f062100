import Foundation
import Testing

@testable import OptOutDaemon

/// Standard Webhooks signatures and delivery ids.
struct WebhookSignatureTests {
    /// The example of the Standard Webhooks reference libraries' tests.
    @Test func theSpecificationsExampleIsReproduced() throws {
        let signature = try WebhookSignature(
            secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", credential: "hook-secret")
        #expect(
            signature.signature(
                id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Array(#"{"test": 2432232314}"#.utf8)
            )
                == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test(arguments: ["MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_not base64!", "Bearer whsec_abc"])
    func aMalformedSecretIsAPermanentErrorNamingTheCredential(secret: String) {
        #expect {
            try WebhookSignature(secret: secret, credential: "hook-secret")
        } throws: { error in
            let error = error as! DeliveryError
            // The message names the prefix it expects, never what the credential holds.
            return error.permanent && error.description.contains("credential 'hook-secret'")
                && !error.description.replacing("'whsec_'", with: "").contains(secret)
        }
    }

    @Test func theIDStandsForTheTargetAndTheNoticesInAnyOrder() {
        let first = NoticeDocuments.make(account: "a")
        let second = NoticeDocuments.make(account: "b")
        let id = WebhookSignature.messageID([first, second], target: "chat")
        #expect(id.hasPrefix("msg_") && id.count == 36)
        #expect(WebhookSignature.messageID([second, first], target: "chat") == id)
        #expect(WebhookSignature.messageID([first, second], target: "other") != id)
        #expect(WebhookSignature.messageID([first], target: "chat") != id)
    }
}
