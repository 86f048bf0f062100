import Foundation

/// A fixed set of threads that run the jobs given to them as a `TaskExecutor`.
final class ThreadPoolExecutor: TaskExecutor, Sendable {
    private let jobs = BlockingQueue<UnownedJob>()

    init(threads: Int) {
        for index in 0..<threads {
            let thread = Thread { [jobs, self] in
                nameThisThread("optoutd-pool-\(index)")
                let executor = self.asUnownedTaskExecutor()
                while true {
                    jobs.pop().runSynchronously(on: executor)
                }
            }
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        jobs.push(UnownedJob(job))
    }

    func enqueue(_ job: UnownedJob) {
        jobs.push(job)
    }
}
