import OptOutCore

/// Cuts a hook's output into lines, in one pass over each chunk read, and keeps what is
/// logged bounded: a hook that prints megabytes gets a few lines in the journal and a count
/// of the rest, however long its lines or however many.
struct HookOutput {
    enum Stream: Sendable { case standardOutput, standardError }

    /// Lines logged per run, at most.
    static let lineLimit = 64
    /// Bytes logged per run, at most.
    static let byteLimit = 16 * 1024
    /// Longer lines are cut to this many bytes in the log.
    static let lineLength = 2048

    private var partial: [Stream: [UInt8]] = [.standardOutput: [], .standardError: []]
    /// A line longer than `lineLength` was cut: the rest of it, up to its newline, is skipped.
    private var skippingRest: Set<Stream> = []
    private var linesLogged = 0
    private var bytesLogged = 0
    private var linesDropped = 0
    /// Of the lines dropped, and of the rests of lines cut.
    private var bytesDropped = 0
    private let emit: (Stream, String) -> Void

    init(emit: @escaping (Stream, String) -> Void) {
        self.emit = emit
    }

    /// Takes bytes the program wrote to `stream`.
    mutating func take(_ chunk: UnsafeBufferPointer<UInt8>, from stream: Stream) {
        var start = 0
        while start < chunk.count {
            // Only the new bytes are searched for the end of a line.
            let newline = chunk[start...].firstIndex(of: UInt8(ascii: "\n"))
            let end = newline ?? chunk.count
            if skippingRest.contains(stream) {
                bytesDropped += end - start
            } else {
                let room = Self.lineLength - partial[stream, default: []].count
                partial[stream, default: []] += chunk[start..<min(end, start + max(room, 0))]
                if end - start > room {
                    line(from: stream, cut: true)
                    skippingRest.insert(stream)
                    bytesDropped += end - start - room
                }
            }
            guard let newline else { return }
            if skippingRest.remove(stream) == nil { line(from: stream, cut: false) }
            start = newline + 1
        }
    }

    /// Logs what is left of unfinished lines and a count of what was not logged.
    mutating func finish() {
        for stream in [Stream.standardOutput, .standardError] where !(partial[stream] ?? []).isEmpty {
            line(from: stream, cut: false)
        }
        if linesDropped > 0 {
            emit(
                .standardError,
                "… \(linesDropped) more line\(linesDropped == 1 ? "" : "s") (\(bytesDropped) bytes) of output not logged"
            )
        } else if bytesDropped > 0 {
            emit(
                .standardError,
                "… \(bytesDropped) more bytes of output not logged (lines are cut at \(Self.lineLength) bytes)")
        }
    }

    private mutating func line(from stream: Stream, cut: Bool) {
        let bytes = partial[stream] ?? []
        partial[stream] = []
        guard linesLogged < Self.lineLimit, bytesLogged + bytes.count <= Self.byteLimit else {
            linesDropped += 1
            bytesDropped += bytes.count
            return
        }
        linesLogged += 1
        bytesLogged += bytes.count
        // A hook's text reaches terminals (journalctl, standard error): escape sequences and
        // direction changes in it are shown, not acted on. A CRLF line end is a line end.
        let text = String(decoding: bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes[...], as: UTF8.self)
        emit(stream, TerminalText.oneLine(text) + (cut ? " …" : ""))
    }
}
