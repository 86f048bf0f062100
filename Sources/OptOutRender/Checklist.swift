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
    var actionCount: Int
    var oneAction: Bool
    var platforms: String
    var nothingToDo: Bool
    var groups: [Group]
    var policies: [PolicyChange]
    var contact: String?
    var footer: String?

    var actions: [Action] { groups.flatMap(\.actions) }

    init(_ documents: [NoticeDocument], language: MessageLanguage, settings: MessageSettings) {
        let today = documents.compactMap { CivilDate(iso: $0.date) }.max()
        var groups: [(account: String, platform: String, label: String, actions: [Action])] = []
        var policies: [PolicyChange] = []
        var seenPolicies = Set<String>()
        for document in documents {
            let account = document.account
            let deadline = CivilDate(iso: document.policy.deadline)
            let place =
                groups.firstIndex { $0.account == account.id }
                ?? {
                    groups.append((account.id, account.platform, account.name ?? account.id, []))
                    return groups.count - 1
                }()
            for action in document.pending {
                if let index = groups[place].actions.firstIndex(where: { $0.id == action.id }) {
                    // The same switch asked for by another policy: keep its earliest deadline.
                    if let deadline, deadline < groups[place].actions[index].deadlineDate {
                        groups[place].actions[index].deadlineDate = deadline
                        groups[place].actions[index].deadline = language.longDate(deadline)
                    }
                    continue
                }
                let date = deadline ?? CivilDate(dayNumber: 0)
                groups[place].actions.append(
                    Action(
                        id: action.id, number: 0, title: action.title, location: action.location, url: action.url,
                        deadline: deadline.map(language.longDate) ?? document.policy.deadline,
                        overdue: today.map { date <= $0 } ?? false, deadlineDate: date, account: account.id,
                        platform: PlatformName.display(account.platform)))
            }
            if seenPolicies.insert(document.policy.id).inserted {
                policies.append(
                    PolicyChange(document.policy, platform: account.platform, language: language, today: today))
            }
        }
        var number = 0
        var platformCounts: [String: Int] = [:]
        for group in groups { platformCounts[group.platform, default: 0] += 1 }
        self.groups = groups.filter { !$0.actions.isEmpty }.sorted {
            ($0.actions.map(\.deadlineDate).min()!) < ($1.actions.map(\.deadlineDate).min()!)
        }.map { group in
            Group(
                platform: PlatformName.display(group.platform),
                account: platformCounts[group.platform]! > 1 ? group.label : nil,
                actions: group.actions.sorted { $0.deadlineDate < $1.deadlineDate }.map { action in
                    number += 1
                    var numbered = action
                    numbered.number = number
                    return numbered
                })
        }
        self.policies = policies
        let all = self.groups.flatMap(\.actions)
        let earliest = all.min { $0.deadlineDate < $1.deadlineDate }
        prefix = settings.subjectPrefix
        test = documents.contains(where: \.test)
        name = documents.first?.account.name
        self.language = language.rawValue
        deadline = earliest?.deadline
        overdue = earliest?.overdue ?? false
        actionCount = all.count
        oneAction = all.count == 1
        nothingToDo = all.isEmpty
        var platforms: [String] = []
        for group in groups where !platforms.contains(PlatformName.display(group.platform)) {
            platforms.append(PlatformName.display(group.platform))
        }
        self.platforms = language.list(platforms)
        contact = settings.contact
        footer = settings.footer
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
            started: effective.flatMap { date in today.map { date <= $0 } } ?? false, dataUsed: items(policy.dataUsed),
            dataNotUsed: items(policy.dataNotUsed),
            sharedWith: policy.sharedWith.isEmpty ? nil : language.list(policy.sharedWith),
            sources: items(policy.sources.filter { !$0.isEmpty }))
    }
}
