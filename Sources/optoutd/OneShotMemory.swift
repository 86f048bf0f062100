import CSystemd
import Foundation

/// How a command that loads an inventory, works on it once and exits treats memory.
///
/// By default, glibc gives each large block (an inventory's text, the array of pairs) pages
/// of its own and hands them back when it is freed; the next large block then starts on
/// fresh pages, and every page touched for the first time is a page fault. A one-shot
/// command keeps what it frees for what it allocates next, and leaves it all to the kernel
/// at exit. The daemon keeps the defaults: it should give memory back after a reload.
enum OneShotMemory {
    /// Large blocks (up to glibc's limit of 32 MiB) come from the heap, and freed memory
    /// stays in the process. Call it before loading.
    static func keepFreedMemory() {
        mallopt(M_MMAP_THRESHOLD, 32 << 20)
        mallopt(M_TRIM_THRESHOLD, 1 << 30)
    }

    /// Ends the process with success once the output is written, without freeing what the
    /// command holds: releasing 100,000 accounts and their pairs one by one only delays it.
    static func exit() -> Never {
        Foundation.exit(EXIT_SUCCESS)
    }
}
