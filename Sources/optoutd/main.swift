import Dispatch
import Foundation
import OptOutDaemon

// Everything optoutd creates (the store, its lock, the folders) is for its own user
// alone, whatever the umask it was started with.
umask(0o077)
// Commands other than the daemon tune malloc before any thread has a heap (see OneShotMemory).
if CommandLine.arguments.dropFirst().first != "run" { OneShotMemory.keepFreedMemory() }
// Tasks run on optoutd's own threads, which sleep until there is work (see ConcurrencyThreads).
ConcurrencyThreads.unsafeTakeOver()
Task.detached {
    await OptOutd.main()
    exit(EXIT_SUCCESS)
}
// The main thread waits here for good; main-actor jobs, were there any, would still run.
dispatchMain()
