// SPDX-License-Identifier: MIT
/*
 * A handle and its mapping: what create and open share (the name rule,
 * the page check, filling and emptying the handle), and the calls that
 * end a handle or a region: close, unlink, and the failure detail.
 */
#include "region_map.h"

#include <string.h>

#include <errno.h>

#include <shmbox/port.h>

#include "access.h"
#include "proc.h"
#include "slotcache.h"

int sbx_region_name_valid(const char *name)
{
    if (name == NULL)
        return 0;
#if defined(CONFIG_SHMBOX_DEVICE)
    if (name[0] == '/')
        return 1; /* a device locator: the port parses it (-EINVAL) */
#endif
    return shmbox_name_valid(name);
}

int sbx_region_page_size_ok(void)
{
    uint32_t os = shmbox_port_page_size();
    return os != 0 && CONFIG_SHMBOX_PAGE_SIZE % os == 0;
}

void sbx_region_set_handle(shmbox_t *sb, const struct shmbox_port_map *map, const char *name)
{
    sb->base = map->base;
    sb->size = map->size;
    sb->port_handle = map->handle;
    size_t n = 0;
#if defined(CONFIG_SHMBOX_DEVICE)
    sb->device = name[0] == '/';
    size_t len = strlen(name);
    name += len > SHMBOX_NAME_MAX ? len - SHMBOX_NAME_MAX : 0; /* a long locator: its end */
#endif
    for (; name[n] != '\0' && n < SHMBOX_NAME_MAX; n++)
        sb->name[n] = name[n];
    sb->name[n] = '\0';
    sb->open_magic = SHMBOX_OPEN_MAGIC;
}

void sbx_region_unmap(shmbox_t *sb)
{
    struct shmbox_port_map map = {sb->base, sb->size, sb->port_handle};
    (void)shmbox_port_region_close(&map);
    sb->base = NULL;
    sb->open_magic = 0;
}

int sbx_region_begin(shmbox_t *sb, const char *name)
{
    if (sb == NULL)
        return -EINVAL;
    /* The storage may hold anything (the API lets a caller pass it
     * uninitialised): nothing in it is read. */
    memset(sb, 0, sizeof(*sb));
    if (!sbx_region_name_valid(name) || !sbx_region_page_size_ok())
        return -EINVAL;
    return 0;
}

int shmbox_close(shmbox_t *sb)
{
    if (!sbx_is_open(sb))
        return -EINVAL;
    sbx_cache_forget(sb); /* the detach frees cached slots with the rest */
    sbx_proc_detach(sb);
    sbx_region_unmap(sb);
    memset(sb, 0, sizeof(*sb));
    return 0;
}

int shmbox_unlink(const char *name)
{
    if (!sbx_region_name_valid(name))
        return -EINVAL;
    return shmbox_port_region_unlink(name);
}

const char *shmbox_error_detail(const shmbox_t *sb)
{
    if (sb == NULL)
        return "";
    for (size_t i = 0; i < sizeof(sb->detail); i++)
        if (sb->detail[i] == '\0')
            return sb->detail;
    return "";
}
