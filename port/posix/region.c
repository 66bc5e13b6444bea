// SPDX-License-Identifier: MIT
/*
 * POSIX port, regions: the shm object "/shmbox.<name>" (a file in /dev/shm
 * on Linux; shmbox_format_posix_object() names it), reserved with
 * posix_fallocate so that a full tmpfs is -ENOSPC at create instead of
 * SIGBUS on first touch, and mapped MAP_SHARED. Descriptors are
 * close-on-exec; the object's mode is set with fchmod so the umask does
 * not apply.
 *
 * The creator holds an exclusive flock() on the object from right after
 * it exists until the component calls shmbox_port_region_ready(): the
 * kernel drops it when the creator dies, so an opener tells a live but
 * slow creator (posix_fallocate of a large region takes a while) from a
 * dead one whatever the size, and whatever PID namespace either is in.
 *
 * A name that is a path ("/dev/mem@0x9f000000", CONFIG_SHMBOX_DEVICE)
 * is memory in that file or device instead: port/posix/device.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <shmbox/port.h>

#include "device.h"

/* flock() without EINTR. */
static int lock_fd(int fd, int op)
{
    int r;
    do
        r = flock(fd, op);
    while (r != 0 && errno == EINTR);
    return r == 0 ? 0 : -errno;
}

/* 1 if another open of the object holds the creator's lock, else 0. */
static int creator_busy(int fd)
{
    if (lock_fd(fd, LOCK_SH | LOCK_NB) == -EWOULDBLOCK)
        return 1;
    (void)lock_fd(fd, LOCK_UN);
    return 0;
}

/* A creator takes its lock right after shm_open() made the object: until
 * the object is this old, an unlocked one may be a creator's in that
 * window. After it, an unlocked object that is not ready is a dead
 * creator's, however recently an opener first looked. */
#define CREATOR_WINDOW_NS 3000000000

/* 1 if object @p fd was last changed (made, resized, its mode set) less
 * than CREATOR_WINDOW_NS ago by the system clock (or in the future: the
 * clock was stepped back), else 0. */
static int object_young(int fd)
{
    struct stat st;
    struct timespec now;
    if (fstat(fd, &st) != 0 || clock_gettime(CLOCK_REALTIME, &now) != 0)
        return 1; /* cannot tell: as young */
    int64_t age = ((int64_t)now.tv_sec - (int64_t)st.st_ctim.tv_sec) * 1000000000 +
                  ((int64_t)now.tv_nsec - (int64_t)st.st_ctim.tv_nsec);
    return age < 0 || age < CREATOR_WINDOW_NS;
}

/* 1 if a creator is, or may still be, at work on object @p fd. */
static int creator_may_work(int fd)
{
    return creator_busy(fd) || object_young(fd);
}

static int map_fd(int fd, uint64_t size, struct shmbox_port_map *map)
{
    if (size > (uint64_t)SIZE_MAX)
        return -ENOMEM;
    void *p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED)
        return -errno;
    map->base = p;
    map->size = size;
    map->handle = fd;
    return 0;
}

int shmbox_port_region_create(const char *name, uint64_t size, uint32_t mode, struct shmbox_port_map *map)
{
    if (SBX_DEVICE_NAME(name))
        return sbx_device_create(name, size, map);
    char path[64]; /* the prefix and a name of at most 31 */
    (void)shmbox_format_posix_object(name, path, sizeof(path));
    if (size > (uint64_t)INT64_MAX)
        return -ENOMEM;
    int fd = shm_open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, (mode_t)(mode & 0777u));
    if (fd < 0)
        return -errno;
    int rc = lock_fd(fd, LOCK_EX); /* an opener's brief probe may delay it */
    if (rc == 0)
        rc = fchmod(fd, (mode_t)(mode & 0777u)) == 0 ? 0 : -errno;
    if (rc == 0)
        rc = -posix_fallocate(fd, 0, (off_t)size); /* returns an errno value */
    if (rc == 0)
        rc = map_fd(fd, size, map);
    if (rc < 0) {
        close(fd);
        shm_unlink(path);
        return rc == -EFBIG ? -ENOSPC : rc;
    }
    return 0;
}

int shmbox_port_region_open(const char *name, uint64_t min_size, struct shmbox_port_map *map)
{
    if (SBX_DEVICE_NAME(name))
        return sbx_device_open(name, map);
    char path[64]; /* the prefix and a name of at most 31 */
    (void)shmbox_format_posix_object(name, path, sizeof(path));
    int fd = shm_open(path, O_RDWR | O_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    struct stat st;
    int rc = fstat(fd, &st) == 0 ? 0 : -errno;
    if (rc == 0 && (st.st_size < 0 || (uint64_t)st.st_size < min_size))
        rc = creator_may_work(fd) ? -EINPROGRESS : -EBADMSG;
    if (rc == 0)
        rc = map_fd(fd, (uint64_t)st.st_size, map);
    if (rc < 0)
        close(fd);
    return rc;
}

void shmbox_port_region_ready(struct shmbox_port_map *map)
{
#if defined(CONFIG_SHMBOX_DEVICE)
    if (SBX_HANDLE_IS_DEVICE(map->handle)) {
        sbx_device_ready(map);
        return;
    }
#endif
    (void)lock_fd((int)map->handle, LOCK_UN);
}

int shmbox_port_region_creating(const struct shmbox_port_map *map)
{
#if defined(CONFIG_SHMBOX_DEVICE)
    /* Device memory: a creator on Linux holds a range lock; a firmware
     * creator holds none, so an unlocked range tells nothing. */
    if (SBX_HANDLE_IS_DEVICE(map->handle))
        return sbx_device_creating(map) == 1 ? 1 : -ENOSYS;
#endif
    /* A shm object the component maps is whole (its size set under the
     * creator's lock): unlocked, its creator finished or died. */
    return creator_busy((int)map->handle);
}

int shmbox_port_region_close(struct shmbox_port_map *map)
{
    if (map->base != NULL)
        munmap(map->base, (size_t)map->size);
    if (map->handle >= 0)
        close(SBX_HANDLE_FD(map->handle));
    map->base = NULL;
    map->handle = -1;
    return 0;
}

int shmbox_port_region_unlink(const char *name)
{
    if (SBX_DEVICE_NAME(name))
        return sbx_device_unlink(name);
    char path[64]; /* the prefix and a name of at most 31 */
    (void)shmbox_format_posix_object(name, path, sizeof(path));
    return shm_unlink(path) == 0 ? 0 : -errno;
}
