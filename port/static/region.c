// SPDX-License-Identifier: MIT
/*
 * Static port, regions: one region at a time, in a page-aligned buffer in
 * .bss (CONFIG_SHMBOX_STATIC_ADDRESS = 0) or in memory reserved by the
 * integrator at CONFIG_SHMBOX_STATIC_ADDRESS (e.g. RAM shared with another
 * core). The buffer holds SHMBOX_CONFIG_REGION_BYTES, the compiled layout.
 *
 * The port keeps the region's name and a count of mappings:
 *   create(n)  the buffer is free: zero it, name it n.            -> 0
 *              a region named n exists                            -> -EEXIST
 *              another region exists, or an unlinked one is still
 *              mapped (the single buffer is taken)                -> -ENOSPC
 *   open(n)    the region is named n                              -> 0
 *              otherwise                                          -> -ENOENT
 *              (fixed address only: while this image holds no
 *              region, open maps the memory whatever its name, and
 *              the component's header checks decide: a peer core
 *              creates, this one opens)
 *   unlink(n)  the region is named n: the name goes, the memory
 *              stays valid until the last mapping is closed       -> 0
 *              otherwise                                          -> -ENOENT
 *   close      one mapping fewer; the buffer is free again once the
 *              region is unlinked and nothing maps it.
 * No operating system call: a C11 atomic flag guards the state, inside
 * the critical-section hooks.
 */
#include <errno.h>
#include <string.h>

#include <shmbox/port.h>
#include <shmbox/shmbox.h> /* SHMBOX_NAME_MAX */

#define CAPACITY ((uint64_t)SHMBOX_CONFIG_REGION_BYTES)

#if CONFIG_SHMBOX_STATIC_ADDRESS == 0
static _Alignas(CONFIG_SHMBOX_PAGE_SIZE) unsigned char region_buffer[SHMBOX_CONFIG_REGION_BYTES];
#define REGION_BASE region_buffer
#else
_Static_assert(CONFIG_SHMBOX_STATIC_ADDRESS % CONFIG_SHMBOX_PAGE_SIZE == 0,
               "CONFIG_SHMBOX_STATIC_ADDRESS must be aligned to CONFIG_SHMBOX_PAGE_SIZE");
#define REGION_BASE ((unsigned char *)(uintptr_t)CONFIG_SHMBOX_STATIC_ADDRESS)
#endif

static atomic_flag guard = ATOMIC_FLAG_INIT;
static char region_name[SHMBOX_NAME_MAX + 1]; /* "" : no named region */
static uint32_t mappings;                     /* create/open not yet closed */

static void lock_state(void)
{
    shmbox_port_critical_enter();
    while (atomic_flag_test_and_set_explicit(&guard, memory_order_acquire))
        shmbox_port_relax();
}

static void unlock_state(void)
{
    atomic_flag_clear_explicit(&guard, memory_order_release);
    shmbox_port_critical_exit();
}

static int same_name(const char *a, const char *b)
{
    size_t i = 0;
    for (; a[i] != '\0' && a[i] == b[i]; i++)
        ;
    return a[i] == b[i];
}

static void set_name(const char *name)
{
    size_t i = 0;
    for (; name[i] != '\0' && i < SHMBOX_NAME_MAX; i++)
        region_name[i] = name[i];
    region_name[i] = '\0';
}

static void give_map(struct shmbox_port_map *map)
{
    mappings++;
    map->base = REGION_BASE;
    map->size = CAPACITY;
    map->handle = 0;
}

int shmbox_port_region_create(const char *name, uint64_t size, uint32_t mode, struct shmbox_port_map *map)
{
    (void)mode; /* no permissions on a buffer */
    if (size > CAPACITY)
        return -ENOSPC;
    int rc = 0;
    lock_state();
    if (region_name[0] != '\0' && same_name(region_name, name))
        rc = -EEXIST;
    else if (region_name[0] != '\0' || mappings != 0)
        rc = -ENOSPC;
    if (rc == 0) {
#if CONFIG_SHMBOX_STATIC_ADDRESS == 0
        memset(REGION_BASE, 0, (size_t)CAPACITY);
#endif
        /* At a fixed address the memory is shared and may hold a live
         * region: mapped as it is; the component refuses a ready region
         * there (-EEXIST) and initialises every byte it relies on. */
        set_name(name);
        give_map(map);
    }
    unlock_state();
    return rc;
}

int shmbox_port_region_open(const char *name, uint64_t min_size, struct shmbox_port_map *map)
{
    if (min_size > CAPACITY)
        return -EBADMSG;
    int rc = -ENOENT;
    lock_state();
    if (region_name[0] != '\0' && same_name(region_name, name))
        rc = 0;
#if CONFIG_SHMBOX_STATIC_ADDRESS != 0
    else if (region_name[0] == '\0')
        rc = 0; /* memory shared with a peer: the header tells */
#endif
    if (rc == 0)
        give_map(map);
    unlock_state();
    return rc;
}

#ifndef CONFIG_SHMBOX_MINIMAL_CORE /* the full core's init protocol only */
/* One address space: a creator cannot die apart from its openers. */
void shmbox_port_region_ready(struct shmbox_port_map *map)
{
    (void)map;
}

int shmbox_port_region_creating(const struct shmbox_port_map *map)
{
    (void)map;
    return -ENOSYS;
}
#endif

int shmbox_port_region_close(struct shmbox_port_map *map)
{
    if (map->base == NULL)
        return 0;
    lock_state();
    if (mappings > 0)
        mappings--;
    unlock_state();
    map->base = NULL;
    map->handle = -1;
    return 0;
}

int shmbox_port_region_unlink(const char *name)
{
    int rc = -ENOENT;
    lock_state();
    if (region_name[0] != '\0' && same_name(region_name, name)) {
        region_name[0] = '\0';
        rc = 0;
    }
    unlock_state();
    return rc;
}
