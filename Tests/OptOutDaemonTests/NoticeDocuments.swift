import Foundation
import OptOutCore

/// Notice documents for tests, read from JSON as a stored delivery would be.
enum NoticeDocuments {
    static func make(
        account: String, name: String? = nil, policy: String = "ai-training", title: String = "AI training",
        event: EventKind = .policyApplies, deadline: String = "2025-11-03", daysLeft: Int = 12,
        actions: [(id: String, title: String, url: String?)] = [("ai-data", "Data for AI", "https://example.org/ai")],
        sources: [String] = ["https://example.org/news"]
    ) -> NoticeDocument {
        var accountInfo: [String: Any] = [
            "id": account, "platform": "linkedin", "region": "CA", "timezone": "America/Toronto",
        ]
        if let name { accountInfo["name"] = name }
        let object: [String: Any] = [
            "version": 1, "test": false, "event": event.rawValue, "at": "2025-10-22T09:00:00+02:00",
            "date": "2025-10-22", "late": false, "days_left": daysLeft, "message": "a notice",
            "account": accountInfo,
            "policy": [
                "id": policy, "title": title, "summary": "", "effective": "2025-11-03", "deadline": deadline,
                "data_used": [String](), "data_not_used": [String](), "shared_with": [String](), "sources": sources,
            ],
            "pending": actions.map { action -> [String: Any] in
                var info: [String: Any] = ["id": action.id, "title": action.title, "where": "Settings › Data privacy"]
                if let url = action.url { info["url"] = url }
                return info
            },
        ]
        let data = try! JSONSerialization.data(withJSONObject: object)
        return try! JSONDecoder().decode(NoticeDocument.self, from: data)
    }
}
