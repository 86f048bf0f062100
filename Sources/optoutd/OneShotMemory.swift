import CLinux
import Foundation

/// How a command that loads an inventory, works on it once and exits treats memory.
///
/// By default, glibc gives each large block (an inventory's text, the array of pairs) pages
/// of its own and hands them back when it is freed; the next large block then starts on
/// fresh pages, and every page touched for the first time is a page fault. The heaps of
/// threads other than the main one (all of optoutd's work runs on such threads) also grow
/// a few pages at a time, each step a system call: thousands for 100,000 accounts. A
/// one-shot command keeps what it frees for what it allocates next, grows its heaps in
/// large steps (address space only: pages still come when first touched), and leaves it
/// all to the kernel at exit. The daemon keeps the defaults: it should give memory back
/// after a reload.
enum OneShotMemory {
    /// Large blocks (up to glibc's limit of 32 MiB) come from the heap, heaps start with
    /// 32 MiB of room, and freed memory stays in the process. Call it before any thread
    /// allocates: a thread's heap gets its room when it is made.
    static func keepFreedMemory() {
        mallopt(M_MMAP_THRESHOLD, 32 << 20)
        mallopt(M_TOP_PAD, 32 << 20)
        mallopt(M_TRIM_THRESHOLD, 1 << 30)
    }

    /// Ends the process with success once the output is written, without freeing what the
    /// command holds: releasing 100,000 accounts and their pairs one by one only delays it.
    static func exit() -> Never {
        Foundation.exit(EXIT_SUCCESS)
    }
}
