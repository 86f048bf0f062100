import OptOutCore

/// What one person is asked to do, from every notice due for them at once: each action
/// once per account (an action id shared by two policies of a platform is one switch),
/// grouped by account and platform, and each policy once with what it changes.
///
/// The fields are what the `subject`, `text` and `html` templates see.
struct Checklist {
    struct Action {
        var id: String
        var number: Int
        var title: String
        var location: String
        var url: String?
        /// The earliest deadline of the policies that ask for it, written out.
        var deadline: String
        var overdue: Bool
        /// For the calendar.
        var deadlineDate: CivilDate
        var account: String
        var platform: String
    }

    struct Group {
        var platform: String
        /// The account's name or id, when the person has more than one account of the platform.
        var account: String?
        var actions: [Action]
    }

    /// One account of the notices and its pending actions, as they are gathered.
    private struct AccountSteps {
        var id: String
        var platform: String
        var name: String?
        var actions: [Action] = []
    }

    struct Items {
        var items: [String]
    }

    struct PolicyChange {
        var title: String
        var platform: String
        var summary: String?
        var effective: String
        var deadline: String
        var started: Bool
        /// The deadline has passed: the text no longer asks to opt out before it.
        var passed: Bool
        /// The change offers no way to opt out.
        var informational: Bool
        /// Every step the person was asked for is done (an `opted-out` notice).
        var done: Bool
        var dataUsed: Items?
        var dataNotUsed: Items?
        var sharedWith: String?
        var sources: Items?
    }

    var prefix: String?
    var test: Bool
    var name: String?
    var language: String
    var deadline: String?
    var overdue: Bool
    /// Some steps are overdue and others are not yet: the earliest deadline still ahead.
    var nextDeadline: String?
    /// The overdue steps passed more than one deadline: `deadline` is only the first.
    var severalPassed: Bool
    /// The steps not yet overdue have more than one deadline: `deadline` (or `nextDeadline`)
    /// is only the first.
    var severalAhead: Bool
    var actionCount: Int
    var oneAction: Bool
    var platforms: String
    var nothingToDo: Bool
    /// Nothing to do because the changes offer no opt-out: the message only informs.
    var informs: Bool
    var groups: [Group]
    var policies: [PolicyChange]
    /// With steps still to do, the changes the same message finds done: "Policy (Platform)".
    var completed: [String]
    var contact: String?
    var footer: String?
    /// The person's link to confirm what they did, when `web:` is configured.
    var confirmURL: String?
    /// The steps still to do that the message does not list.
    var elsewhere: Elsewhere?
    /// When nothing is left of the message's notices, how the accounts they are about are
    /// named, when the person has others on their platforms (see `AccountLabels`).
    var doneLabels: String?

    struct Elsewhere {
        var count: Int
        var one: Bool
        /// The earliest of their deadlines, written out.
        var deadline: String
        var overdue: Bool

        init?(_ steps: [RecipientStanding.Step], language: MessageLanguage) {
            guard let first = steps.min(by: { $0.deadline < $1.deadline }) else { return nil }
            count = steps.count
            one = steps.count == 1
            deadline = language.longDate(first.deadline)
            overdue = first.overdue
        }
    }

    var actions: [Action] { groups.flatMap(\.actions) }

    /// - Parameters:
    ///   - sentAt: when the message goes out: a notice sent late (after a retry, in a
    ///     digest round) speaks of the day it is read, not the day it fell due.
    ///   - standing: where the person stands beyond the notices: each action's earliest
    ///     deadline, how their accounts are named, their name, the steps not listed here.
    init(
        _ documents: [NoticeDocument], language: MessageLanguage, settings: MessageSettings, sentAt: Instant,
        standing: RecipientStanding = RecipientStanding()
    ) {
        let (accounts, policies) = Self.collect(
            documents, language: language, sentAt: sentAt, deadlines: standing.deadlines)
        let accountLabels = standing.accountLabels
        groups = Self.numbered(accounts, labels: accountLabels)
        if groups.isEmpty, let accountLabels {
            let named = accounts.compactMap { accountLabels[$0.id] }
            doneLabels = named.isEmpty ? nil : language.list(named)
        }
        elsewhere = Elsewhere(standing.otherSteps, language: language)
        self.policies = policies
        let all = groups.flatMap(\.actions)
        completed = all.isEmpty ? [] : policies.filter(\.done).map { "\($0.title) (\($0.platform))" }
        let earliest = all.min { $0.deadlineDate < $1.deadlineDate }
        prefix = settings.subjectPrefix
        test = documents.contains(where: \.test)
        // Greeted as every message greets them: by the name of their first account that has one.
        name = standing.accounts?.lazy.compactMap(\.name).first ?? documents.first?.account.name
        self.language = language.rawValue
        deadline = earliest?.deadline
        overdue = earliest?.overdue ?? false
        nextDeadline = overdue ? all.filter { !$0.overdue }.min { $0.deadlineDate < $1.deadlineDate }?.deadline : nil
        severalPassed = Set(all.filter(\.overdue).map(\.deadlineDate)).count > 1
        severalAhead = Set(all.filter { !$0.overdue }.map(\.deadlineDate)).count > 1
        actionCount = all.count
        oneAction = all.count == 1
        nothingToDo = all.isEmpty
        informs = all.isEmpty && documents.allSatisfy { $0.policy.informational == true }
        // The platforms with something to do; when nothing is left, those the notices were about.
        var platforms: [String] = []
        for account in accounts where all.isEmpty || !account.actions.isEmpty {
            let platform = PlatformName.display(account.platform)
            if !platforms.contains(platform) { platforms.append(platform) }
        }
        self.platforms = language.list(platforms)
        contact = settings.contact
        footer = settings.footer
    }

    /// The notices' accounts, in order, each with its pending actions once (an action id
    /// asked for by several policies with its earliest deadline), and each policy once.
    private static func collect(
        _ documents: [NoticeDocument], language: MessageLanguage, sentAt: Instant,
        deadlines: [String: [String: CivilDate]]
    ) -> (accounts: [AccountSteps], policies: [PolicyChange]) {
        var accounts: [AccountSteps] = []
        var policies: [PolicyChange] = []
        var policyIDs: [String] = []
        var seenPolicies = Set<String>()
        for document in documents {
            let account = document.account
            let today = Self.today(of: document, sentAt: sentAt)
            let policyDeadline = CivilDate(iso: document.policy.deadline) ?? CivilDate(dayNumber: 0)
            let place = accounts.firstIndex { $0.id == account.id } ?? accounts.count
            if place == accounts.count {
                accounts.append(
                    AccountSteps(id: account.id, platform: account.platform, name: account.name))
            }
            for action in document.pending {
                let deadline = min(policyDeadline, deadlines[account.id]?[action.id] ?? policyDeadline)
                let written = language.longDate(deadline)
                let overdue = today.map { deadline <= $0 } ?? false
                if let index = accounts[place].actions.firstIndex(where: { $0.id == action.id }) {
                    if deadline < accounts[place].actions[index].deadlineDate {
                        accounts[place].actions[index].deadlineDate = deadline
                        accounts[place].actions[index].deadline = written
                        accounts[place].actions[index].overdue = overdue
                    }
                    continue
                }
                accounts[place].actions.append(
                    Action(
                        id: action.id, number: 0, title: action.title, location: action.location, url: action.url,
                        deadline: written, overdue: overdue, deadlineDate: deadline, account: account.id,
                        platform: PlatformName.display(account.platform)))
            }
            if seenPolicies.insert(document.policy.id).inserted {
                policies.append(
                    PolicyChange(document.policy, platform: account.platform, language: language, today: today))
                policyIDs.append(document.policy.id)
            }
        }
        // Done when every notice about it says so, for each account the message covers.
        let stillAsked = Set(documents.filter { $0.event != .optedOut }.map(\.policy.id))
        for index in policies.indices where !stillAsked.contains(policyIDs[index]) && !policies[index].informational {
            policies[index].done = true
        }
        return (accounts, policies)
    }

    /// The day the message is read on, for the notice's account: the day it goes out in the
    /// account's zone, or the notice's own day if that is later (a test, a plan ahead).
    private static func today(of document: NoticeDocument, sentAt: Instant) -> CivilDate? {
        let due = CivilDate(iso: document.date)
        guard let zone = Zone(identifier: document.account.timezone) else { return due }
        let sent = zone.localDate(of: sentAt)
        return due.map { max($0, sent) } ?? sent
    }

    /// The accounts with something to do, grouped by platform: the platforms in the order of
    /// their most pressing step, and on each its accounts the most pressing first; their
    /// actions numbered through. An account is named when the person has two on its platform.
    ///
    /// - Parameter labels: the names of the person's accounts that need one (see
    ///   `AccountLabels`), known from all their accounts; else from the message's.
    private static func numbered(_ accounts: [AccountSteps], labels known: [String: String]?) -> [Group] {
        let labels = known ?? AccountLabels.labels(accounts.map { ($0.id, $0.platform, $0.name) })
        let pressing = accounts.filter { !$0.actions.isEmpty }.map { account in
            (account, account.actions.sorted { $0.deadlineDate < $1.deadlineDate })
        }.sorted { $0.1[0].deadlineDate < $1.1[0].deadlineDate }
        var platforms: [String] = []
        for (account, _) in pressing where !platforms.contains(account.platform) { platforms.append(account.platform) }
        var number = 0
        return platforms.flatMap { platform in pressing.filter { $0.0.platform == platform } }.map { account, actions in
            Group(
                platform: PlatformName.display(account.platform),
                account: labels[account.id],
                actions: actions.map { action in
                    number += 1
                    var numbered = action
                    numbered.number = number
                    return numbered
                })
        }
    }
}

extension Checklist.PolicyChange {
    init(_ policy: NoticeDocument.PolicyInfo, platform: String, language: MessageLanguage, today: CivilDate?) {
        func items(_ list: [String]) -> Checklist.Items? { list.isEmpty ? nil : Checklist.Items(items: list) }
        let effective = CivilDate(iso: policy.effective)
        self.init(
            title: policy.title, platform: PlatformName.display(platform),
            summary: policy.summary.isEmpty ? nil : policy.summary,
            effective: effective.map(language.longDate) ?? policy.effective,
            deadline: CivilDate(iso: policy.deadline).map(language.longDate) ?? policy.deadline,
            started: effective.flatMap { date in today.map { date <= $0 } } ?? false,
            passed: CivilDate(iso: policy.deadline).flatMap { date in today.map { date <= $0 } } ?? false,
            informational: policy.informational == true, done: false, dataUsed: items(policy.dataUsed),
            dataNotUsed: items(policy.dataNotUsed),
            sharedWith: policy.sharedWith.isEmpty ? nil : language.list(policy.sharedWith),
            sources: items(policy.sources.filter { !$0.isEmpty }))
    }
}
