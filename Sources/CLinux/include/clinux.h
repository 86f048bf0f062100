#ifndef OPTOUTD_CLINUX_H
#define OPTOUTD_CLINUX_H

/* Linux and C-runtime calls that Swift cannot make directly (variadic, macros, or
 * declared only under _GNU_SOURCE), each wrapped in a typed function. */

#include <malloc.h>
#include <sys/types.h>

/* A pipe whose ends are closed on exec (pipe2 with O_CLOEXEC). */
int optoutd_pipe_cloexec(int fds[2]);

/* A descriptor that becomes readable when process `pid` exits (pidfd_open(2)); -1 with
 * errno set where the kernel has none. */
int optoutd_pidfd_open(pid_t pid);

/* Names the calling thread as `ps -L` and `top -H` show it (PR_SET_NAME). */
int optoutd_name_thread(const char *name);

/* UNSAFE: installs `hook` as the Swift concurrency runtime's swift_task_enqueueGlobal_hook,
 * with a compare-and-swap from "no hook". Returns 1 when installed, 0 when a hook was
 * already there (nothing is changed then). The hook's real type is a pointer to a
 * swiftcall function; see ConcurrencyThreads for what is assumed about it. */
int optoutd_unsafe_install_enqueue_global_hook(void *hook);

#endif
