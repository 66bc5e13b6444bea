// SPDX-License-Identifier: MIT
/*
 * Locating regions without the library: POSIX objects are the files
 * shmbox.<name> in /dev/shm (shm_open("/shmbox.<name>")), SysV segments are
 * listed in /proc/sysvipc/shm and recognised by the magic at offset 0. Both
 * are looked at whatever port this tool was built with, and only ever
 * mapped read-only here.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define SHM_DIR "/dev/shm"
/* A region's file in SHM_DIR: its POSIX object name without the '/'. */
#define PREFIX_LEN (sizeof(SHMBOX_POSIX_PREFIX) - 2u)
static const char *const prefix = &SHMBOX_POSIX_PREFIX[1];
#define SYSV_LIST "/proc/sysvipc/shm"

/* The library's rule (shmbox_region_locator()); 0 for an invalid name. */
int32_t cli_sysv_key(const char *name)
{
    struct shmbox_locator loc;
    return shmbox_region_locator(name, &loc) == 0 ? loc.sysv_key : 0;
}

enum cli_port cli_own_port(void)
{
    struct shmbox_locator loc;
    (void)shmbox_region_locator("a", &loc);
    return loc.port == SHMBOX_PORT_ID_SYSV ? CLI_PORT_SYSV : CLI_PORT_POSIX;
}

const char *cli_port_name(enum cli_port port)
{
    return port == CLI_PORT_SYSV ? "sysv" : port == CLI_PORT_DEVICE ? "device" : "posix";
}

/* ---- POSIX ---------------------------------------------------------------- */

static int posix_find(const char *name, struct cli_region *r)
{
    char path[sizeof(SHM_DIR) + sizeof(SHMBOX_POSIX_PREFIX) + SHMBOX_NAME_MAX + 2];
    struct stat st;
    snprintf(path, sizeof(path), "%s/%s%s", SHM_DIR, prefix, name);
    if (stat(path, &st) != 0)
        return -errno;
    if (!S_ISREG(st.st_mode))
        return -ENOENT;
    memset(r, 0, sizeof(*r));
    r->port = CLI_PORT_POSIX;
    snprintf(r->name, sizeof(r->name), "%s", name);
    snprintf(r->label, sizeof(r->label), "%s", name);
    r->size = st.st_size > 0 ? (uint64_t)st.st_size : 0u;
    r->uid = (uint32_t)st.st_uid;
    r->mode = (uint32_t)st.st_mode & 0777u;
    r->shmid = -1;
    return 0;
}

static int posix_map(struct cli_region *r)
{
    struct shmbox_locator loc;
    if (shmbox_region_locator(r->name, &loc) < 0)
        return -EINVAL;
    const char *obj = loc.posix_object;
    int fd = shm_open(obj, O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    struct stat st;
    int rc = fstat(fd, &st) == 0 ? 0 : -errno;
    if (rc == 0 && st.st_size <= 0)
        rc = -EBADMSG;
    if (rc == 0 && (uint64_t)st.st_size > (uint64_t)SIZE_MAX)
        rc = -ENOMEM;
    if (rc == 0) {
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED) {
            rc = -errno;
        } else {
            r->base = p;
            r->mapped = (uint64_t)st.st_size;
            r->size = r->mapped;
        }
    }
    close(fd);
    return rc;
}

/* ---- SysV ----------------------------------------------------------------- */

/* Parse one line of /proc/sysvipc/shm. 1 if it is a segment line. */
static int sysv_parse(const char *line, struct cli_region *r)
{
    int key, shmid;
    unsigned perms, nattch, uid;
    unsigned long long size;
    int cpid, lpid;
    if (sscanf(line, "%d %d %o %llu %d %d %u %u", &key, &shmid, &perms, &size, &cpid, &lpid, &nattch, &uid) != 8)
        return 0;
    memset(r, 0, sizeof(*r));
    r->port = CLI_PORT_SYSV;
    r->key = key;
    r->shmid = shmid;
    r->size = size;
    r->mode = perms & 0777u;
    r->os_attach = nattch;
    r->uid = uid;
    snprintf(r->label, sizeof(r->label), "sysv:0x%08x", (unsigned)key);
    return 1;
}

/* Find the segment of key (any_key: the first line, to count). */
static int sysv_find_key(int32_t key, struct cli_region *r)
{
    FILE *f = fopen(SYSV_LIST, "re");
    if (f == NULL)
        return -ENOENT;
    char line[512];
    int rc = -ENOENT;
    while (rc == -ENOENT && fgets(line, sizeof(line), f) != NULL)
        if (sysv_parse(line, r) && r->key == key)
            rc = 0;
    fclose(f);
    return rc;
}

static int sysv_map(struct cli_region *r)
{
    void *p = shmat(r->shmid, NULL, SHM_RDONLY);
    if (p == (void *)-1)
        return errno == EINVAL || errno == EIDRM ? -ENOENT : -errno;
    r->base = p;
    r->mapped = r->size;
    return 0;
}

/* ---- either ---------------------------------------------------------------- */

static int parse_key(const char *s, int32_t *key)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 16);
    if (errno != 0 || end == s || *end != '\0' || v == 0 || v > 0xfffffffful)
        return -EINVAL;
    *key = (int32_t)(uint32_t)v;
    return 0;
}

int cli_region_find(const char *arg, struct cli_region *r)
{
    if (arg[0] == '/')
        return cli_device_find(arg, r);
    if (strncmp(arg, "sysv:", 5) == 0) {
        int32_t key;
        if (parse_key(arg + 5, &key) == 0 && strncmp(arg + 5, "0x", 2) == 0)
            return sysv_find_key(key, r);
        /* sysv:NAME, as 'shmbox ls' shows a segment whose header names it */
        if (!cli_name_valid(arg + 5))
            return -EINVAL;
        int rc = sysv_find_key(cli_sysv_key(arg + 5), r);
        if (rc == 0) {
            snprintf(r->name, sizeof(r->name), "%s", arg + 5);
            snprintf(r->label, sizeof(r->label), "%s", arg);
        }
        return rc;
    }
    if (!cli_name_valid(arg))
        return -EINVAL;
    int rc;
    if (cli_own_port() == CLI_PORT_SYSV) {
        rc = sysv_find_key(cli_sysv_key(arg), r);
        if (rc == -ENOENT)
            rc = posix_find(arg, r);
    } else {
        rc = posix_find(arg, r);
        if (rc == -ENOENT)
            rc = sysv_find_key(cli_sysv_key(arg), r);
    }
    if (rc == 0) {
        snprintf(r->name, sizeof(r->name), "%s", arg);
        snprintf(r->label, sizeof(r->label), "%s", arg);
    }
    return rc;
}

int cli_region_map(struct cli_region *r)
{
    r->base = NULL;
    r->mapped = 0;
    if (r->port == CLI_PORT_DEVICE)
        return cli_device_map(r);
    return r->port == CLI_PORT_SYSV ? sysv_map(r) : posix_map(r);
}

void cli_region_unmap(struct cli_region *r)
{
    if (r->base == NULL)
        return;
    if (r->port == CLI_PORT_SYSV)
        (void)shmdt(r->base);
    else
        (void)munmap((void *)(uintptr_t)r->base, (size_t)r->mapped);
    r->base = NULL;
    r->mapped = 0;
}

int cli_region_remove(const struct cli_region *r)
{
    if (r->port == CLI_PORT_SYSV) {
        if (shmctl(r->shmid, IPC_RMID, NULL) == 0)
            return 0;
        return errno == EINVAL || errno == EIDRM ? -ENOENT : -errno;
    }
    if (r->port == CLI_PORT_DEVICE)
        return cli_device_remove(r);
    struct shmbox_locator loc;
    if (shmbox_region_locator(r->name, &loc) < 0)
        return -EINVAL;
    const char *obj = loc.posix_object;
    return shm_unlink(obj) == 0 ? 0 : -errno;
}

/* A SysV segment is shmbox's when its first 8 bytes are the magic. A
 * segment this user may not read cannot be told apart: it is skipped. */
static int sysv_is_shmbox(struct cli_region *r)
{
    if (r->size < sizeof(uint64_t) || sysv_map(r) < 0)
        return 0;
    uint64_t magic;
    memcpy(&magic, r->base, sizeof(magic));
    cli_region_unmap(r);
    return magic == SHMBOX_MAGIC;
}

int cli_region_scan(cli_region_fn fn, void *ctx)
{
    struct cli_region r;
    int rc = 0;
    DIR *d = opendir(SHM_DIR);
    if (d != NULL) {
        /* Directory order: ls sorts what it collects. */
        for (struct dirent *e = readdir(d); e != NULL && rc == 0; e = readdir(d)) {
            if (strncmp(e->d_name, prefix, PREFIX_LEN) != 0)
                continue;
            const char *name = e->d_name + PREFIX_LEN;
            if (cli_name_valid(name) && posix_find(name, &r) == 0)
                rc = fn(&r, ctx);
        }
        closedir(d);
    }
    FILE *f = fopen(SYSV_LIST, "re");
    if (f != NULL) {
        char line[512];
        while (rc == 0 && fgets(line, sizeof(line), f) != NULL)
            if (sysv_parse(line, &r) && sysv_is_shmbox(&r))
                rc = fn(&r, ctx);
        fclose(f);
    }
    return rc;
}
