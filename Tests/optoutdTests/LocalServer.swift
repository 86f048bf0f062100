import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A test server on loopback (a script in Tests/support), stopped when released.
final class LocalServer {
    let process = Process()
    let port: Int

    /// Starts `/usr/bin/python3 SCRIPT ARGUMENTS…`; the script prints its port as its first line.
    init(script: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [Optoutd.repository.appendingPathComponent("Tests/support/\(script)").path] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line += byte
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw CocoaError(.fileReadCorruptFile)
        }
        self.port = port
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
