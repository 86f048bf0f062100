import Crypto
import OptOutCore

/// What stands for some notices delivered to one target, the same at every attempt and for
/// no other notices or target: a webhook request's id and a mail's Message-ID, so that a
/// receiver can tell a repeat (a retry after a lost answer, a crash between sending and
/// recording) from a new delivery.
enum NoticeIdentity {
    /// 32 hexadecimal digits, whatever order the notices come in.
    static func digest(of documents: [NoticeDocument], target: String) -> String {
        let keys = documents.map { document in
            [
                document.account.id, document.policy.id, document.event.rawValue, document.date, document.at,
                document.test ? "test" : "",
            ].joined(separator: "\u{1F}")
        }
        let identity = ([target] + keys.sorted()).joined(separator: "\n")
        return SHA256.hash(data: Array(identity.utf8)).prefix(16).hexadecimal
    }
}
