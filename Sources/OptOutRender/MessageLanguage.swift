import OptOutCore

/// A language messages are written in: the shipped templates of `Config/templates/LANG/`
/// and the few words code puts together (dates, lists, event names).
public enum MessageLanguage: String, CaseIterable, Sendable {
    case en, de, fr

    /// The codes, for messages that list them.
    public static var codes: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// A date the way the language writes it: `3 November 2025`, `3. November 2025`,
    /// `3 novembre 2025`. Written out here so that no locale data on the machine matters.
    public func longDate(_ date: CivilDate) -> String {
        let (year, month, day) = date.components
        switch self {
        case .en: return "\(day) \(Self.englishMonths[month - 1]) \(year)"
        case .de: return "\(day). \(Self.germanMonths[month - 1]) \(year)"
        case .fr: return "\(day == 1 ? "1er" : String(day)) \(Self.frenchMonths[month - 1]) \(year)"
        }
    }

    /// `A`, `A and B`, `A, B and C` in the language.
    public func list(_ items: [String]) -> String {
        guard items.count > 1, let last = items.last else { return items.first ?? "" }
        let and =
            switch self {
            case .en: "and"
            case .de: "und"
            case .fr: "et"
            }
        return items.dropLast().joined(separator: ", ") + " \(and) " + last
    }

    /// The title of a deadline's calendar event.
    public var lastDay: String {
        switch self {
        case .en: "Last day to opt out"
        case .de: "Letzter Tag für den Widerspruch"
        case .fr: "Dernier jour pour vous opposer"
        }
    }

    /// The event as a word for the summary's table.
    /// What a summary shows for the deadline of a change that offers no way to opt out.
    public var noOptOut: String {
        switch self {
        case .en: "no opt-out"
        case .de: "kein Widerspruch möglich"
        case .fr: "aucune opposition possible"
        }
    }

    public func eventName(_ event: EventKind) -> String {
        switch (self, event) {
        case (.en, .policyApplies): "first notice"
        case (.en, .deadlineReminder): "reminder"
        case (.en, .policyEffective): "takes effect"
        case (.en, .overdue): "overdue"
        case (.en, .escalation): "escalated"
        case (.en, .optedOut): "done"
        case (.de, .policyApplies): "erste Nachricht"
        case (.de, .deadlineReminder): "Erinnerung"
        case (.de, .policyEffective): "tritt in Kraft"
        case (.de, .overdue): "überfällig"
        case (.de, .escalation): "eskaliert"
        case (.de, .optedOut): "erledigt"
        case (.fr, .policyApplies): "premier avis"
        case (.fr, .deadlineReminder): "rappel"
        case (.fr, .policyEffective): "entre en vigueur"
        case (.fr, .overdue): "en retard"
        case (.fr, .escalation): "signalé"
        case (.fr, .optedOut): "terminé"
        }
    }

    private static let englishMonths = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]
    private static let germanMonths = [
        "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November",
        "Dezember",
    ]
    private static let frenchMonths = [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
        "décembre",
    ]
}
