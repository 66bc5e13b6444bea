// SPDX-License-Identifier: MIT
/* shmbox_strerror: a sentence for every error shmbox returns. */
#include <errno.h>

#include <shmbox/shmbox.h>

#ifndef CONFIG_SHMBOX_ERROR_STRINGS
/* Without the sentences (a small firmware): the errno value says it all. */
const char *shmbox_strerror(int err)
{
    return err == 0 ? "success" : "error";
}
#else
const char *shmbox_strerror(int err)
{
    if (err > 0)
        err = -err;
    switch (err) {
    case 0: return "success";
    case -EINVAL: return "invalid argument (bad name, handle, mailbox number or timeout, or region not open)";
    case -EEXIST: return "a region of that name already exists";
    case -ENOENT: return "no region of that name";
    case -ETIMEDOUT: return "timed out";
    case -EAGAIN: return "would block: mailbox full or empty";
    case -ENOMEM: return "out of memory: no free slot that fits, or no address space";
    case -EMSGSIZE: return "message or buffer size does not fit";
    case -EALREADY: return "slot already freed";
    case -EPROTO: return "region made by a build with a different layout or version";
    case -EBADMSG: return "not a shmbox region, or its shared state is corrupt";
    case -ENOMSG: return "the next message is of the other kind (slot vs copied message)";
    case -ENOSPC: return "not enough shared memory for the region";
    case -EACCES: return "permission denied";
    case -EPERM: return "operation not permitted";
    case -EBUSY: return "busy: a device region's creator is at work";
    case -EUSERS: return "process table full: too many processes have the region open";
    case -EMFILE: return "too many open files in this process";
    case -ENFILE: return "too many open files in the system";
    case -EDEADLK: return "lock already held by this thread";
    case -ENAMETOOLONG: return "name too long";
    case -ENOSYS: return "not supported by this port";
    case -ECHILD: return "handle inherited across fork(): a child opens the region itself";
    case -EXDEV: return "region made in another PID namespace: its processes cannot be checked from here";
    case -EROFS: return "read-only file system (the port's shared memory directory)";
    case -EIO: return "input/output error";
    case -EINTR: return "interrupted by a signal";
    case -EFBIG: return "region too large for the file system";
    case -ENODEV: return "the file system does not support shared mappings";
    case -EOVERFLOW: return "region size does not fit this process's address types";
    case -EIDRM: return "region removed meanwhile";
    case -ETXTBSY: return "file busy";
    case -EOPNOTSUPP: return "operation not supported by the file system";
    case -EBADF: return "bad descriptor";
    case -ELOOP: return "too many symbolic links";
    case -EFAULT: return "bad address";
    default: return "unknown error";
    }
}
#endif /* CONFIG_SHMBOX_ERROR_STRINGS */
