/// One `channels.hooks` entry: a command run with argv, never through a shell.
public struct HookSettings: Hashable, Sendable {
    public var name: String
    public var command: [String]
    public var events: Set<EventKind>
    /// Seconds before the command is killed.
    public var timeoutSeconds: Int

    public init(
        name: String, command: [String], events: Set<EventKind> = Set(EventKind.allCases), timeoutSeconds: Int = 30
    ) {
        self.name = name
        self.command = command
        self.events = events
        self.timeoutSeconds = timeoutSeconds
    }
}
