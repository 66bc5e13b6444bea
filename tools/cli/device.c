// SPDX-License-Identifier: MIT
/*
 * Device regions: a locator "/PATH[@OFFSET]" names a region in that file
 * or device at that offset (the POSIX port's CONFIG_SHMBOX_DEVICE, see
 * docs/porting.md). Nothing lists such regions: they are looked at only
 * when named. The header is mapped read-only first, then as much as it
 * says the region holds (bounded by the file's size when it has one).
 * Removing one zeroes its header's identity in place, as the library's
 * shmbox_unlink() does: this works whether or not the library was built
 * with CONFIG_SHMBOX_DEVICE (only send, recv and reclaim need it).
 */
#define _FILE_OFFSET_BITS 64 /* offsets past 2 GiB on 32-bit systems */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* Largest region mapped whole from a device without a size (layout.h's
 * own bound, CONFIG_SHMBOX_REGION_MAX_MB, at most 65536 MiB). */
#define DEVICE_MAP_MAX ((uint64_t)65536u << 20)

#ifdef CONFIG_SHMBOX_DEVICE_OFFSET
#define DEFAULT_OFFSET ((uint64_t)CONFIG_SHMBOX_DEVICE_OFFSET)
#else
#define DEFAULT_OFFSET 0u /* the Kconfig default */
#endif

/* The library's rule (shmbox_format_device_locator()): an absolute path,
 * then nothing or "@" and an offset that is a multiple of the page size. */
static int parse(const char *arg, char *path, size_t cap, uint64_t *off)
{
    *off = DEFAULT_OFFSET;
    int rc = shmbox_format_device_locator(arg, path, cap, off);
    if (rc <= 0)
        return rc;
    long page = sysconf(_SC_PAGESIZE);
    if (page <= 0 || *off % (uint64_t)page != 0 || *off > (uint64_t)INT64_MAX / 2u)
        return -EINVAL;
    return 0;
}

int cli_device_find(const char *arg, struct cli_region *r)
{
    memset(r, 0, sizeof(*r));
    int rc = parse(arg, r->path, sizeof(r->path), &r->offset);
    if (rc < 0)
        return rc;
    struct stat st;
    if (stat(r->path, &st) != 0)
        return -errno;
    if (S_ISDIR(st.st_mode))
        return -EISDIR;
    r->port = CLI_PORT_DEVICE;
    snprintf(r->label, sizeof(r->label), "%s", arg);
    snprintf(r->locator, sizeof(r->locator), "%s", arg);
    r->file_size = S_ISREG(st.st_mode) && st.st_size > 0 ? (uint64_t)st.st_size : 0u;
    r->size = r->file_size > r->offset ? r->file_size - r->offset : 0u;
    r->uid = (uint32_t)st.st_uid;
    r->mode = (uint32_t)st.st_mode & 0777u;
    r->shmid = -1;
    return 0;
}

static int map_ro(int fd, uint64_t off, uint64_t len, struct cli_region *r)
{
    if (len > (uint64_t)SIZE_MAX)
        return -ENOMEM;
    void *p = mmap(NULL, (size_t)len, PROT_READ, MAP_SHARED, fd, (off_t)off);
    if (p == MAP_FAILED)
        return -errno;
    r->base = p;
    r->mapped = len;
    return 0;
}

int cli_device_map(struct cli_region *r)
{
    int fd = open(r->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    long page = sysconf(_SC_PAGESIZE);
    uint64_t len = (uint64_t)(page > 0 ? page : 4096);
    int rc = 0;
    if (r->file_size != 0 && r->size < len)
        rc = r->size == 0 ? -EBADMSG : 0;
    if (r->file_size != 0 && r->size < len)
        len = r->size;
    if (rc == 0)
        rc = map_ro(fd, r->offset, len, r);
    /* A header: map the region's whole size (the file's end bounds it). */
    uint64_t magic, size;
    if (rc == 0 && r->mapped >= offsetof(struct shmbox_hdr, region_size) + sizeof(size)) {
        memcpy(&magic, r->base, sizeof(magic));
        memcpy(&size, r->base + offsetof(struct shmbox_hdr, region_size), sizeof(size));
        if (r->file_size != 0 && size > r->size)
            size = r->size; /* what is there; the header reader says it is short */
        if (magic == SHMBOX_MAGIC && size > r->mapped && size <= DEVICE_MAP_MAX) {
            cli_region_unmap(r);
            rc = map_ro(fd, r->offset, size, r);
        }
    }
    if (rc == 0)
        r->size = r->mapped; /* the region as its header sizes it, or one page */
    close(fd);
    return rc;
}

/* As the library's unlink does (port/posix/device.c): zero the header's
 * identity (shmbox_format_invalidate()); the file stays. */
int cli_device_remove(const struct cli_region *r)
{
    if (r->file_size != 0 && r->size < SHMBOX_FMT_IDENTITY_BYTES)
        return -ENOSPC;
    int fd = open(r->path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    long page = sysconf(_SC_PAGESIZE);
    size_t len = (size_t)(page > 0 ? page : 4096);
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)r->offset);
    int rc = p == MAP_FAILED ? -errno : 0;
    close(fd);
    if (rc < 0)
        return rc;
    rc = shmbox_format_invalidate(p);
    munmap(p, len);
    return rc;
}
