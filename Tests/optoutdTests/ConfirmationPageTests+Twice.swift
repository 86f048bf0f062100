import Foundation
import Testing

/// A step confirmed twice: two tabs, a form sent again, an `ack` meanwhile.
extension ConfirmationPageTests {
    /// The second answer says the step was done already, rather than that nothing was
    /// ticked, and gives the note back in its box: nothing is recorded twice.
    @Test func aStepDoneAlreadyIsSaidToBe() throws {
        let link = path(try web.link(alice))
        #expect(try web.post(link, "done=\(alice)%3Aobjection-form").status == 200)
        let again = try web.post(link, "done=\(alice)%3Aobjection-form&note=hello")
        #expect(again.status == 200)
        #expect(again.body.contains("These were recorded as done already, so nothing new was recorded:"))
        #expect(
            again.body.contains("<li>Object to other machine learning with the Data Processing Objection Form</li>"))
        #expect(again.body.contains("Your note was not kept"))
        #expect(again.body.contains(">hello</textarea>"))
        #expect(!again.body.contains("Nothing was checked"))
        #expect(try web.acks(alice).count == 1)
        // With something new beside it, both are said: what was recorded, and what was done.
        let mixed = try web.post(link, "done=\(alice)%3Aobjection-form&done=\(alice)%3Aai-improvement-toggle")
        #expect(mixed.body.contains("Thank you. We recorded:"))
        #expect(mixed.body.contains("<p>These were recorded as done already:</p>"))
        #expect(try web.acks(alice).count == 2)
    }
}
