// SPDX-License-Identifier: MIT
/* Linux port internals shared by sync.c and sys.c. */
#ifndef SHMBOX_LINUX_SYS_H
#define SHMBOX_LINUX_SYS_H

#include <stdint.h>

/*
 * 1 if thread @p tid (a lock word's owner) has exited: no such thread
 * (kill(tid, 0) says ESRCH), or a zombie not reaped yet ('Z' or 'X' in
 * /proc/<tid>/stat, read only where /proc shows this PID namespace). A
 * zombie is gone as a lock owner: the kernel's PI-futex protocol already
 * says ESRCH for it, while kill() still finds it until its parent waits.
 * 0 if it may run (exists, and /proc cannot tell otherwise).
 */
int sbx_linux_thread_gone(uint32_t tid);

#endif /* SHMBOX_LINUX_SYS_H */
