// SPDX-License-Identifier: MIT
/*
 * POSIX port, device regions (CONFIG_SHMBOX_DEVICE): a region name that is
 * an absolute path with an optional "@offset" suffix names memory that
 * exists already, in a file or device at that offset: /dev/mem at a
 * reserved-memory carve-out, a UIO device, an emulator's memory file.
 *
 *   locator   "/path" or "/path@OFFSET", OFFSET decimal or 0x hex, a
 *             multiple of the OS page size (no suffix:
 *             CONFIG_SHMBOX_DEVICE_OFFSET). Anything else is -EINVAL.
 *   size      the region is SHMBOX_CONFIG_REGION_BYTES at the offset. A
 *             regular file must hold offset + size bytes, else -ENOSPC;
 *             a device's size cannot be told (fstat says 0): trusted, and
 *             a range it lacks is -ENOSPC too if mmap says ENXIO.
 *   errors    a path that does not lead to a file (ENOTDIR, or ENXIO: a
 *             device node without its device) is -ENOENT; a directory
 *             -EINVAL; the rest as open and mmap say.
 *   create    maps the memory as it is; the component refuses a ready
 *             region there (-EEXIST) and initialises the rest in place.
 *   unlink    zeroes the region's first 48 bytes (the header's identity:
 *             magic, init state, version, fingerprint, size, creator): no
 *             region there any more, a later create works. The file or
 *             device stays. -ENOENT if they were zero already; -EBUSY
 *             while a creator holds the range.
 *
 * The creator's lock is an open-file-description byte-range lock
 * (F_OFD_SETLK, write) on [offset, offset + size) of the file, taken
 * before the component touches the memory and dropped at READY or by the
 * kernel when the creator dies: regions at different offsets of one file
 * do not block each other. A second creator of the same range gets
 * -EEXIST at once; openers only test the lock (F_OFD_GETLK), never take
 * it. The region's descriptor is its own open file description, and its
 * file position is set to the offset: the kernel keeps the offset for
 * ready() and creating(), so the port keeps no state but the descriptor.
 * (A device whose driver does not keep a position, e.g. UIO, leaves it
 * at 0: its regions' locks then all start at 0, so only one of them can
 * be created at a time.)
 *
 * The memory is mapped MAP_SHARED as the kernel maps that file: no O_SYNC
 * for /dev/mem, because on ARM that makes the mapping Device or
 * non-cacheable memory, where the exclusive loads and stores of the
 * region's atomics are not architecturally guaranteed to work.
 */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "device.h"

#if defined(CONFIG_SHMBOX_DEVICE)

#define DEVICE_PATH_MAX 256u /* the path, NUL included */

/* "/path[@offset]" (shmbox_format_device_locator()): the path into
 * @p path, the offset into @p off, a multiple of the page size with room
 * for the region after it. */
static int parse(const char *name, char *path, uint64_t *off)
{
    *off = (uint64_t)CONFIG_SHMBOX_DEVICE_OFFSET;
    int rc = shmbox_format_device_locator(name, path, DEVICE_PATH_MAX, off);
    if (rc < 0)
        return rc;
    uint32_t page = shmbox_port_page_size();
    if (page == 0 || *off % page != 0 || *off > (uint64_t)INT64_MAX - SHMBOX_CONFIG_REGION_BYTES)
        return -EINVAL;
    return 0;
}

/* fcntl() without EINTR. */
static int ofd_lock(int fd, int cmd, struct flock *fl)
{
    int r;
    do
        r = fcntl(fd, cmd, fl);
    while (r != 0 && errno == EINTR);
    return r == 0 ? 0 : -errno;
}

/* The region's range, from the offset the kernel keeps as fd's position. */
static void range(int fd, uint64_t size, short type, struct flock *fl)
{
    off_t pos = lseek(fd, 0, SEEK_CUR);
    memset(fl, 0, sizeof(*fl));
    fl->l_type = type;
    fl->l_whence = SEEK_SET;
    fl->l_start = pos > 0 ? pos : 0;
    fl->l_len = (off_t)size;
}

/* Open the locator's file and check that the region fits (regular files). */
static int open_at(const char *name, uint64_t size, uint64_t *off)
{
    char path[DEVICE_PATH_MAX];
    int rc = parse(name, path, off);
    if (rc < 0)
        return rc;
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) { /* ENOTDIR, ENXIO (a device node without its device): none there */
        if (errno == EISDIR)
            return -EINVAL; /* a directory is no memory */
        return errno == ENOTDIR || errno == ENXIO ? -ENOENT : -errno;
    }
    struct stat st;
    rc = fstat(fd, &st) == 0 ? 0 : -errno;
    if (rc == 0 && S_ISDIR(st.st_mode))
        rc = -EINVAL; /* a directory is no memory */
    if (rc == 0 && S_ISREG(st.st_mode) && (st.st_size < 0 || (uint64_t)st.st_size < *off + size))
        rc = -ENOSPC;
    if (rc == 0)
        (void)lseek(fd, (off_t)*off, SEEK_SET); /* kept for range(); a device may ignore it */
    if (rc < 0) {
        close(fd);
        return rc;
    }
    return fd;
}

/* Map the @p size bytes at @p off of @p fd (fd < 0: its error, passed
 * on) into @p map, which then owns fd; fd is closed if this fails. */
static int map_at(int fd, uint64_t off, uint64_t size, struct shmbox_port_map *map)
{
    if (fd < 0)
        return fd;
    int rc = -ENOMEM;
    void *p = MAP_FAILED;
    if (size <= (uint64_t)SIZE_MAX) {
        p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)off);
        /* ENXIO: the device has no such range, as -ENOSPC for a file */
        rc = p != MAP_FAILED ? 0 : errno == ENXIO ? -ENOSPC : -errno;
    }
    if (rc < 0) {
        close(fd);
        return rc;
    }
    map->base = p;
    map->size = size;
    map->handle = (intptr_t)fd | SBX_DEVICE_TAG;
    return 0;
}

/* open_at(), then the creator's lock on the @p lock_size bytes at the
 * offset: @p busy if another description holds any of them. */
static int open_locked(const char *name, uint64_t size, uint64_t lock_size, int busy, uint64_t *off)
{
    int fd = open_at(name, size, off);
    if (fd < 0)
        return fd;
    struct flock fl;
    range(fd, lock_size, F_WRLCK, &fl);
    int rc = ofd_lock(fd, F_OFD_SETLK, &fl);
    if (rc < 0) {
        close(fd);
        return rc == -EAGAIN || rc == -EACCES ? busy : rc;
    }
    return fd;
}

int sbx_device_create(const char *name, uint64_t size, struct shmbox_port_map *map)
{
    uint64_t off = 0;
    int fd = open_locked(name, size, size, -EEXIST, &off); /* -EEXIST: another creator is at work */
    return map_at(fd, off, size, map);
}

int sbx_device_open(const char *name, struct shmbox_port_map *map)
{
    uint64_t off = 0;
    int fd = open_at(name, SHMBOX_CONFIG_REGION_BYTES, &off);
    return map_at(fd, off, SHMBOX_CONFIG_REGION_BYTES, map);
}

void sbx_device_ready(struct shmbox_port_map *map)
{
    struct flock fl;
    range(SBX_HANDLE_FD(map->handle), 0, F_UNLCK, &fl);
    fl.l_start = 0; /* everything this description holds: the one range */
    (void)ofd_lock(SBX_HANDLE_FD(map->handle), F_OFD_SETLK, &fl);
}

int sbx_device_creating(const struct shmbox_port_map *map)
{
    struct flock fl;
    range(SBX_HANDLE_FD(map->handle), map->size, F_WRLCK, &fl);
    if (ofd_lock(SBX_HANDLE_FD(map->handle), F_OFD_GETLK, &fl) < 0)
        return -ENOSYS;
    return fl.l_type != F_UNLCK;
}

int sbx_device_unlink(const char *name)
{
    uint64_t off;
    int fd = open_locked(name, SHMBOX_FMT_IDENTITY_BYTES, SHMBOX_CONFIG_REGION_BYTES, -EBUSY, &off); /* -EBUSY: a creator */
    if (fd < 0)
        return fd;
    uint32_t page = shmbox_port_page_size();
    unsigned char *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)off);
    int rc = p == MAP_FAILED ? -errno : shmbox_format_invalidate(p);
    if (p != MAP_FAILED)
        munmap(p, page);
    close(fd); /* drops the lock */
    return rc;
}

#else
typedef int sbx_device_off; /* ISO C: no empty translation unit */
#endif /* CONFIG_SHMBOX_DEVICE */
