// SPDX-License-Identifier: MIT
/*
 * SysV port, regions: a System V shared memory segment (shmget + shmat).
 *
 * Name rule (shmbox_format_sysv_key()): the segment's key is
 *     CONFIG_SHMBOX_SYSV_KEY_BASE XOR fnv1a32(name)
 * where fnv1a32 is the 32-bit FNV-1a hash of the name's bytes. The key 0
 * (IPC_PRIVATE) is never used: it becomes 1. Two names may map to one key (a 32-bit hash); the
 * second create is then -EEXIST, and a foreign segment under a shmbox key
 * fails the component's header checks (-EBADMSG), never a crash.
 *
 * create: shmget(IPC_CREAT | IPC_EXCL | mode) - the umask does not apply
 * to SysV segments - then shmat. Without SHM_NORESERVE the kernel accounts
 * the whole segment at shmget time, so running out is an error there, not
 * a fault later. The kernel hands out zeroed pages.
 * open: shmget(key, 0, 0), IPC_STAT for the size (smaller than asked is
 * -EBADMSG before anything is mapped), shmat.
 * unlink: IPC_RMID. The segment lives on while attached; the kernel resets
 * its key to IPC_PRIVATE at once, so the name is free for a new create.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/shm.h>

#include <shmbox/port.h>

static key_t name_key(const char *name)
{
    return (key_t)shmbox_format_sysv_key(name, SHMBOX_PORT_SYSV_KEY_BASE);
}

/* Errors of shmget(IPC_CREAT | IPC_EXCL) as the contract names them. */
static int create_error(int err)
{
    switch (err) {
    case ENOMEM: /* no memory for the segment                       */
    case ENOSPC: /* SHMALL pages or SHMMNI segments exhausted       */
    case EINVAL: /* size outside SHMMIN .. SHMMAX (kernel.shmmax)   */
        return -ENOSPC;
    case EPERM:
        return -EACCES;
    default:
        return -err;
    }
}

static int attach(int shmid, uint64_t size, struct shmbox_port_map *map)
{
    void *p = shmat(shmid, NULL, 0);
    if (p == (void *)-1) {
        int err = errno;
        return err == EINVAL || err == EIDRM ? -ENOENT : -err; /* removed meanwhile */
    }
    map->base = p;
    map->size = size;
    map->handle = shmid;
    return 0;
}

int shmbox_port_region_create(const char *name, uint64_t size, uint32_t mode, struct shmbox_port_map *map)
{
    if (size == 0 || size > (uint64_t)SIZE_MAX)
        return -ENOSPC;
    for (;;) {
        int shmid = shmget(name_key(name), (size_t)size, IPC_CREAT | IPC_EXCL | (int)(mode & 0777u));
        if (shmid < 0)
            return create_error(errno);
        int rc = attach(shmid, size, map);
        if (rc == -ENOENT)
            continue; /* someone removed it before we attached: the key is free again */
        if (rc < 0)
            (void)shmctl(shmid, IPC_RMID, NULL);
        return rc;
    }
}

int shmbox_port_region_open(const char *name, uint64_t min_size, struct shmbox_port_map *map)
{
    int shmid = shmget(name_key(name), 0, 0);
    if (shmid < 0)
        return errno == EPERM ? -EACCES : -errno;
    struct shmid_ds ds;
    if (shmctl(shmid, IPC_STAT, &ds) != 0) {
        int err = errno;
        return err == EINVAL || err == EIDRM ? -ENOENT : -err;
    }
    if ((uint64_t)ds.shm_segsz < min_size)
        return -EBADMSG;
    return attach(shmid, (uint64_t)ds.shm_segsz, map);
}

/* shmget() makes the segment whole in one call: there is no sizing for
 * an opener to wait out. */
void shmbox_port_region_ready(struct shmbox_port_map *map)
{
    (void)map;
}

/* No lock tells a creator at work; but the kernel records the segment's
 * creator: when that process is gone, no creator is at work. A live one
 * (or a pid reused since, or one this PID namespace cannot see) tells
 * nothing. */
int shmbox_port_region_creating(const struct shmbox_port_map *map)
{
    struct shmid_ds ds;
    if (map->handle < 0 || shmctl((int)map->handle, IPC_STAT, &ds) != 0 || ds.shm_cpid <= 0)
        return -ENOSYS;
    if (kill(ds.shm_cpid, 0) != 0 && errno == ESRCH)
        return 0;
    return -ENOSYS;
}

int shmbox_port_region_close(struct shmbox_port_map *map)
{
    int rc = 0;
    if (map->base != NULL && shmdt(map->base) != 0)
        rc = -errno;
    map->base = NULL;
    map->handle = -1;
    return rc;
}

int shmbox_port_region_unlink(const char *name)
{
    int shmid = shmget(name_key(name), 0, 0);
    if (shmid < 0)
        return errno == EPERM ? -EACCES : -errno;
    if (shmctl(shmid, IPC_RMID, NULL) != 0) {
        int err = errno;
        if (err == EINVAL || err == EIDRM)
            return -ENOENT;
        return err == EPERM ? -EACCES : -err;
    }
    return 0;
}
