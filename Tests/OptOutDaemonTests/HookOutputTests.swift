import Testing

@testable import OptOutDaemon

/// What the journal keeps of a hook's output: a few lines, and how much it did not keep.
struct HookOutputTests {
    func logged(_ chunks: [String]) -> [String] {
        var lines: [String] = []
        var output = HookOutput { _, line in lines.append(line) }
        for chunk in chunks {
            Array(chunk.utf8).withUnsafeBufferPointer { output.take($0, from: .standardOutput) }
        }
        output.finish()
        return lines
    }

    @Test func linesSplitAcrossChunksAreWhole() {
        #expect(logged(["one\ntw", "o\nthree"]) == ["one", "two", "three"])
    }

    /// What a hook prints reaches terminals: it is shown, never acted on.
    @Test func escapeSequencesAreShownNotActedOn() {
        #expect(logged(["x \u{1B}]0;T\u{07}\r\n", "a\u{202E}b\rc\n"]) == ["x \\u{1B}]0;T\\u{7}", "a\\u{202E}b ↵ c"])
    }

    /// One endless line is cut, and the rest of it is counted, not left unsaid.
    @Test func aCutLineSaysHowMuchWasNotLogged() {
        let long = String(repeating: "x", count: 5000)
        let lines = logged([long, long + "\nafter\n"])
        #expect(lines.count == 3)
        #expect(lines[0] == String(repeating: "x", count: HookOutput.lineLength) + " …")
        #expect(lines[1] == "after")
        #expect(
            lines[2]
                == "… \(10_000 - HookOutput.lineLength) more bytes of output not logged (lines are cut at 2048 bytes)")
    }

    @Test func linesPastTheLimitAreCounted() {
        let lines = logged([(1...100).map { "line \($0)\n" }.joined()])
        #expect(lines.count == HookOutput.lineLimit + 1)
        let rest = (65...100).map { "line \($0)" }.joined().utf8.count
        #expect(lines.last == "… 36 more lines (\(rest) bytes) of output not logged")
    }
}
