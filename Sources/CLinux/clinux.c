#define _GNU_SOURCE
#include "clinux.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int optoutd_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int optoutd_pidfd_open(pid_t pid) {
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int optoutd_name_thread(const char *name) { return prctl(PR_SET_NAME, name, 0, 0, 0); }

/* Where the Swift concurrency runtime sends global jobs when set. Declared here, not found
 * with dlsym(), so that the linker resolves it whether the runtime is linked statically or
 * not. */
extern void *swift_task_enqueueGlobal_hook;

int optoutd_unsafe_install_enqueue_global_hook(void *hook) {
    void *expected = NULL;
    return __atomic_compare_exchange_n(&swift_task_enqueueGlobal_hook, &expected, hook, 0, __ATOMIC_SEQ_CST,
                                       __ATOMIC_SEQ_CST);
}
