#ifndef OPTOUTD_CSYSTEMD_SHIM_H
#define OPTOUTD_CSYSTEMD_SHIM_H

/* sd_journal_sendv() is a macro over sd_journal_sendv_with_location() only when
 * SD_JOURNAL_SUPPRESS_LOCATION is unset; suppress it so Swift sees the real
 * function and passes CODE_FILE, CODE_LINE and CODE_FUNC itself. */
#define SD_JOURNAL_SUPPRESS_LOCATION 1
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#include <sys/uio.h>
#include <sys/timerfd.h>
#include <sys/inotify.h>
#include <sys/eventfd.h>

#endif
