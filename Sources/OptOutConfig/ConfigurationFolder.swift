import Foundation
import OptOutCore

/// The entries of a folder optoutd reads without it being named in the configuration
/// (`policies.d`, `templates`), sorted, dot files left out; `nil` when there is none.
///
/// Only a folder that is not there is no folder. One that is there but is not a folder, a
/// link to nothing, or a folder that cannot be listed is reported: a policy correction or a
/// template that is silently not read would make optoutd say and send the wrong things.
func configurationFolderEntries(_ path: String, log: DiagnosticLog) -> [String]? {
    let place = SourceLocation(path: path, line: 1, column: 1)
    func cannotRead(_ reason: String) -> [String]? {
        log.error("cannot read \(path): \(reason)", at: place)
        return nil
    }
    var status = stat()
    guard stat(path, &status) == 0 else {
        let failure = errno
        guard failure == ENOENT else { return cannotRead(String(cString: strerror(failure))) }
        var link = stat()
        return lstat(path, &link) == 0 ? cannotRead("a link to nothing") : nil
    }
    guard status.st_mode & S_IFMT == S_IFDIR else { return cannotRead("not a folder") }
    guard let folder = opendir(path) else { return cannotRead(String(cString: strerror(errno))) }
    defer { closedir(folder) }
    var names: [String] = []
    while let entry = readdir(folder) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) {
            String(cString: $0.bindMemory(to: CChar.self).baseAddress!)
        }
        if !name.hasPrefix(".") { names.append(name) }
    }
    return names.sorted()
}
