#ifndef OPTOUTD_CSYSTEMD_SHIM_H
#define OPTOUTD_CSYSTEMD_SHIM_H

/* sd_journal_sendv() is a macro over sd_journal_sendv_with_location() only when
 * SD_JOURNAL_SUPPRESS_LOCATION is unset; suppress it so Swift sees the real
 * function and passes CODE_FILE, CODE_LINE and CODE_FUNC itself. */
#define SD_JOURNAL_SUPPRESS_LOCATION 1
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <fcntl.h>
#include <unistd.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#include <sys/uio.h>
#include <sys/timerfd.h>
#include <sys/inotify.h>
#include <sys/eventfd.h>

/* A pipe whose ends are closed on exec (pipe2 needs _GNU_SOURCE, which Swift's Glibc lacks). */
static inline int optoutd_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

#endif
