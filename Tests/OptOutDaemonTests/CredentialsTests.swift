import Foundation
import Testing

@testable import OptOutDaemon

@Suite struct CredentialsTests {
    /// A credential file written on Windows or by `echo` ends in CRLF or LF: the secret is
    /// what comes before, whatever the line end.
    @Test func aCredentialIsReadWithoutItsLineEnd() throws {
        let directory = NSTemporaryDirectory() + "optoutd-credentials-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (name, contents) in [("lf", "s3cret\n"), ("crlf", "s3cret\r\n"), ("cr", "s3cret\r"), ("none", "s3cret")] {
            try contents.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
            #expect(try Credentials(directory: directory).value(name) == "s3cret", "\(name)")
        }
        // A missing one names the file and why, and how to give the folder when unset.
        #expect {
            try Credentials(directory: directory).value("absent")
        } throws: { error in
            (error as? DeliveryError)?.description
                == "credential 'absent' cannot be read: \(directory)/absent: no such file"
        }
        #expect {
            try Credentials(directory: nil).value("absent")
        } throws: { error in
            (error as? DeliveryError)?.description.contains("or, run by hand, as CREDENTIALS_DIRECTORY=FOLDER") == true
        }
        try "two\r\nlines\r\n".write(toFile: directory + "/inner", atomically: true, encoding: .utf8)
        #expect(try Credentials(directory: directory).value("inner") == "two\r\nlines")
    }
}
