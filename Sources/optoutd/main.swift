import Dispatch
import Foundation
import OptOutDaemon

// Tasks run on optoutd's own threads, which sleep until there is work (see ConcurrencyThreads).
ConcurrencyThreads.takeOver()
Task.detached {
    await OptOutd.main()
    exit(EXIT_SUCCESS)
}
// The main thread waits here for good; main-actor jobs, were there any, would still run.
dispatchMain()
