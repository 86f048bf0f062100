import Testing

@testable import OptOutCore

/// What one account is asked to do, as its owner's page and `ack` see it.
struct AccountActionsTests {
    typealias F = Fixture

    let catalog = Catalog([
        F.policy("late", deadline: "2026-03-01", actions: ["ai-improvement-toggle", "objection-form"]),
        F.policy("early", deadline: "2026-01-15", actions: ["ai-improvement-toggle"]),
        F.policy("elsewhere", regions: ["US"], actions: ["us-only"]),
    ])

    @Test func aSwitchTwoPoliciesAskForIsOneStepWithTheEarliestDeadline() {
        let actions = AccountActions(account: F.account("alice"), catalog: catalog, standing: [:])
        #expect(actions.items.map(\.action.id) == ["ai-improvement-toggle", "objection-form"])
        #expect(actions.items.map(\.deadline.description) == ["2026-01-15", "2026-03-01"])
        #expect(actions.pending.count == 2)
    }

    @Test func aRecordOrTheConfigurationMarksAStepDone() {
        let record = Acknowledgement(
            id: 1, account: "alice", policy: "", action: "objection-form", platform: "linkedin",
            at: F.at("2026-01-02T10:00:00Z"),
            note: nil,
            source: "link", undone: false)
        let account = F.account("alice", done: [.action("ai-improvement-toggle")])
        let actions = AccountActions(account: account, catalog: catalog, standing: ["objection-form": record])
        #expect(actions.pending.isEmpty)
        #expect(actions.items[0].doneInConfiguration && actions.items[0].record == nil)
        #expect(actions.items[1].record?.source == "link")
    }

    @Test func aRequestNamesOnlyStepsOfPoliciesThatApply() throws {
        let alice = F.account("alice")
        let request = try AcknowledgementRequest(
            account: alice, items: ["objection-form", "objection-form"], catalog: catalog)
        #expect(request.policy == nil)
        #expect(request.actions == ["objection-form"], "each step once")
        #expect(try AcknowledgementRequest(account: alice, items: ["late"], catalog: catalog).actions.count == 2)
        #expect(throws: AcknowledgementRequest.Problem.self) {
            try AcknowledgementRequest(account: alice, items: ["us-only"], catalog: catalog)
        }
        #expect(throws: AcknowledgementRequest.Problem.self) {
            try AcknowledgementRequest(account: alice, items: ["elsewhere"], catalog: catalog)
        }
        #expect {
            try AcknowledgementRequest(account: alice, items: [], catalog: catalog)
        } throws: { ($0 as? AcknowledgementRequest.Problem)?.isMissingItems == true }
    }
}
