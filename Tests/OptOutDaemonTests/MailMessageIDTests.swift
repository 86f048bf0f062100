import Foundation
import OptOutCore
import Testing

@testable import OptOutDaemon

/// A mail's Message-ID names what it tells and to whom: sent again, it is the same message.
@Suite struct MailMessageIDTests {
    static let documents = [
        NoticeDocuments.make(account: "anna", policy: "ai-training"),
        NoticeDocuments.make(account: "anna", policy: "ads-sharing"),
    ]

    @Test func theSameNoticesToTheSameAddressHaveTheSameID() {
        let first = EmailChannel.messageID(of: Self.documents, to: "anna@example.org", domain: "example.org")
        #expect(first == EmailChannel.messageID(of: Self.documents, to: "anna@example.org", domain: "example.org"))
        #expect(
            first
                == EmailChannel.messageID(of: Self.documents.reversed(), to: "anna@example.org", domain: "example.org"))
        #expect(first.hasSuffix("@example.org") && first.count == 32 + "@example.org".count)
        // Another address, or other notices, is another message.
        #expect(first != EmailChannel.messageID(of: Self.documents, to: "cc@example.org", domain: "example.org"))
        #expect(first != EmailChannel.messageID(of: [Self.documents[0]], to: "anna@example.org", domain: "example.org"))
        let overdue = [NoticeDocuments.make(account: "anna", event: .overdue)]
        #expect(
            EmailChannel.messageID(of: overdue, to: "anna@example.org", domain: "example.org")
                != EmailChannel.messageID(of: [Self.documents[0]], to: "anna@example.org", domain: "example.org"))
    }

    /// Each test mail is a new message: a mail program that hid a second one as a repeat
    /// would make the second test look failed.
    @Test func eachTestIsANewMessage() {
        var test = Self.documents[0]
        test.test = true
        #expect(
            EmailChannel.messageID(of: [test], to: "anna@example.org", domain: "example.org")
                != EmailChannel.messageID(of: [test], to: "anna@example.org", domain: "example.org"))
    }
}
