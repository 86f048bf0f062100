#ifndef OPTOUTD_CSYSTEMD_SHIM_H
#define OPTOUTD_CSYSTEMD_SHIM_H

/* sd_journal_sendv() is a macro over sd_journal_sendv_with_location() only when
 * SD_JOURNAL_SUPPRESS_LOCATION is unset; suppress it so Swift sees the real
 * function and passes CODE_FILE, CODE_LINE and CODE_FUNC itself. */
#define SD_JOURNAL_SUPPRESS_LOCATION 1
#include <fcntl.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#include <sys/uio.h>
#include <sys/timerfd.h>
#include <sys/inotify.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <malloc.h>

/* glibc declares pipe2() only under _GNU_SOURCE, which would change other system types
 * for this module alone; declare it as glibc defines it. */
extern int pipe2(int fds[2], int flags);

/* Where the Swift concurrency runtime sends global jobs when set (see ConcurrencyThreads).
 * Declared here so that the linker finds it whether the runtime is linked statically or
 * not; its real type is a pointer to a swiftcall function. */
extern void *swift_task_enqueueGlobal_hook;

static inline void optoutd_set_enqueue_global_hook(void *hook) {
    swift_task_enqueueGlobal_hook = hook;
}

/* Names the calling thread (PR_SET_NAME; prctl() is variadic, which Swift cannot call). */
static inline int optoutd_name_thread(const char *name) {
    return prctl(PR_SET_NAME, name, 0, 0, 0);
}

/* A pipe whose ends are closed on exec. */
static inline int optoutd_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

#endif
