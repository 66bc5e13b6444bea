// SPDX-License-Identifier: MIT
/*
 * Minimal core, region lifecycle: create, open, close, unlink over the
 * compact layout (core.h says what the minimal core leaves out).
 *
 * The creator zeroes the control part, sets INITIALIZING, writes the
 * header, threads each pool's free list, writes the magic and stores READY
 * (release). An opener looks until READY or its deadline, then checks the
 * magic, the layout version, the configuration record and fingerprint
 * (this build's: compiled in, SHMBOX_CONFIG_FINGERPRINT) and the size.
 */
#include <string.h>

#include "core.h"

const struct shmbox_cfg_rec sbx_mc_cfg = SHMBOX_CFG_REC_INIT;

#ifdef CONFIG_SHMBOX_ERROR_DETAIL
#define DETAIL(sb, text) mc_detail((sb), (text))
static void mc_detail(shmbox_t *sb, const char *text)
{
    struct shmbox_format_text t = {sb->detail, sizeof(sb->detail), 0};
    shmbox_format_text_str(&t, text);
}
#else
#define DETAIL(sb, text) ((void)(sb), (void)(text))
#endif

/* The handle on a mapped region: where each part is (this build's layout). */
static void set_handle(shmbox_t *sb, const struct shmbox_port_map *map, const char *name)
{
    uint64_t slots = 0, data = SHMBOX_C_DATA_OFF;
    for (unsigned n = 0; n < CONFIG_SHMBOX_POOL_COUNT; n++) {
        sb->lay.pool_ctl[n] = (size_t)SHMBOX_FMT_C_POOL_OFF(n, slots);
        sb->lay.pool_data[n] = (size_t)data;
        slots += sbx_mc_cfg.slot_count[n];
        data += (uint64_t)sbx_mc_cfg.slot_size[n] * sbx_mc_cfg.slot_count[n];
    }
    sb->lay.mbox_off = (size_t)SHMBOX_C_MBOX_OFF;
    sb->lay.ring_off = (size_t)SHMBOX_C_RING_OFF;
    sb->base = map->base;
    sb->size = map->size;
    sb->port_handle = map->handle;
    size_t i = 0;
    for (; name[i] != '\0'; i++)
        sb->name[i] = name[i];
    sb->name[i] = '\0';
    sb->open_magic = SHMBOX_OPEN_MAGIC;
}

int shmbox_create(shmbox_t *sb, const char *name)
{
    if (sb == NULL || !shmbox_name_valid(name))
        return -EINVAL;
    sb->detail[0] = '\0';
    struct shmbox_port_map map;
    int rc = shmbox_port_region_create(name, SHMBOX_REGION_SIZE, SHMBOX_MODE_BITS, &map);
    if (rc < 0)
        return rc;
    struct shmbox_chdr *h = (struct shmbox_chdr *)(void *)map.base;
    /* Memory at a fixed address may hold a peer's ready region: never wiped. */
    if (h->magic == SHMBOX_MAGIC && atomic_load_explicit(&h->init_state, memory_order_acquire) == SHMBOX_INIT_READY) {
        (void)shmbox_port_region_close(&map);
        return -EEXIST;
    }
    memset(h, 0, (size_t)SHMBOX_C_DATA_OFF); /* the control part; payload is the users' */
    atomic_store_explicit(&h->init_state, SHMBOX_INIT_INITIALIZING, memory_order_release);
    h->layout_version = SHMBOX_LAYOUT_VERSION;
    h->fingerprint = SHMBOX_CONFIG_FINGERPRINT;
    h->region_size = SHMBOX_REGION_SIZE;
    h->header_size = (uint32_t)sizeof(*h);
    h->cfg = sbx_mc_cfg;
    h->attached = 1u;
    set_handle(sb, &map, name);
    for (unsigned n = 0; n < CONFIG_SHMBOX_POOL_COUNT; n++) {
        struct shmbox_cdesc *d = mc_desc(sb, n);
        uint32_t count = sbx_mc_cfg.slot_count[n];
        for (uint32_t i = 0; i + 1u < count; i++)
            d[i].next = i + 2u;
        mc_pool(sb, n)->free_head = 1u;
    }
    h->magic = SHMBOX_MAGIC;
    atomic_store_explicit(&h->init_state, SHMBOX_INIT_READY, memory_order_release);
    return 0;
}

/* 0: a ready region of this build's layout; -EAGAIN: not ready yet. */
static int check(shmbox_t *sb, const struct shmbox_chdr *h)
{
    uint32_t state = atomic_load_explicit(&h->init_state, memory_order_acquire);
    if (state == SHMBOX_INIT_EMPTY || state == SHMBOX_INIT_INITIALIZING)
        return -EAGAIN;
    if (state != SHMBOX_INIT_READY) {
        DETAIL(sb, "bad init state");
        return -EBADMSG;
    }
    if (h->magic != SHMBOX_MAGIC) {
        DETAIL(sb, "bad magic: not a shmbox region");
        return -EBADMSG;
    }
    int same = memcmp(&h->cfg, &sbx_mc_cfg, sizeof(sbx_mc_cfg)) == 0;
    if (h->layout_version != SHMBOX_LAYOUT_VERSION || (!same && h->fingerprint != SHMBOX_CONFIG_FINGERPRINT)) {
        /* Another build's layout. The record is not hashed here (no
         * fingerprint code in the minimal core): a record unlike its own
         * fingerprint reads as another build's too. */
#ifdef CONFIG_SHMBOX_ERROR_DETAIL
        struct shmbox_cfg_rec theirs = h->cfg;
        theirs.layout_version = h->layout_version;
        if (shmbox_format_diff(&theirs, &sbx_mc_cfg, 1, sb->detail, sizeof(sb->detail)) == 0)
            DETAIL(sb, "layout fingerprint differs");
#endif
        return -EPROTO;
    }
    if (!same || h->fingerprint != SHMBOX_CONFIG_FINGERPRINT) {
        DETAIL(sb, "config record does not match its fingerprint");
        return -EBADMSG;
    }
    if (h->region_size != SHMBOX_REGION_SIZE) {
        DETAIL(sb, "recorded region size is not the layout's");
        return -EBADMSG;
    }
    return 0;
}

int shmbox_open(shmbox_t *sb, const char *name, int32_t timeout_ms)
{
    if (sb == NULL || !shmbox_name_valid(name) || timeout_ms < SHMBOX_FOREVER)
        return -EINVAL;
    sb->detail[0] = '\0';
    struct sbx_mc_wait t = SBX_MC_WAIT(timeout_ms);
    for (;;) {
        struct shmbox_port_map map;
        int rc = shmbox_port_region_open(name, SHMBOX_REGION_SIZE, &map);
        if (rc == 0) {
            struct shmbox_chdr *h = (struct shmbox_chdr *)(void *)map.base;
            rc = check(sb, h);
            if (rc == 0) {
                /* Counted for shmbox_stat only: no table to fill, so no
                 * bound (a core reset without a close leaves its count). */
                atomic_fetch_add_explicit(&h->attached, 1u, memory_order_relaxed);
                set_handle(sb, &map, name);
                return 0;
            }
            (void)shmbox_port_region_close(&map);
        }
        if (rc != -ENOENT && rc != -EAGAIN)
            return rc;
        int w = sbx_mc_poll(&t);
        if (w < 0) {
            if (rc == -ENOENT) /* none appeared */
                return -ENOENT;
            DETAIL(sb, "creator did not finish in time"); /* there, never ready */
            return -ETIMEDOUT;
        }
    }
}

int shmbox_open_or_create(shmbox_t *sb, const char *name, int32_t timeout_ms)
{
    if (sb == NULL || !shmbox_name_valid(name) || timeout_ms < SHMBOX_FOREVER)
        return -EINVAL;
    for (;;) {
        int rc = shmbox_create(sb, name);
        if (rc != -EEXIST)
            return rc == 0 ? 1 : rc;
        rc = shmbox_open(sb, name, timeout_ms);
        if (rc != -ENOENT) /* -ENOENT: removed in between: create again */
            return rc;
    }
}

int shmbox_close(shmbox_t *sb)
{
    if (!sbx_mc_open(sb))
        return -EINVAL;
    struct shmbox_chdr *h = mc_hdr(sb);
    uint32_t n = atomic_load_explicit(&h->attached, memory_order_relaxed);
    while (n != 0 && !atomic_compare_exchange_weak_explicit(&h->attached, &n, n - 1u, memory_order_relaxed,
                                                            memory_order_relaxed))
        ;
    struct shmbox_port_map map = {sb->base, sb->size, sb->port_handle};
    sb->open_magic = 0;
    sb->base = NULL;
    return shmbox_port_region_close(&map);
}

int shmbox_unlink(const char *name)
{
    if (!shmbox_name_valid(name))
        return -EINVAL;
    return shmbox_port_region_unlink(name);
}

const char *shmbox_error_detail(const shmbox_t *sb)
{
#ifdef CONFIG_SHMBOX_ERROR_DETAIL
    if (sb != NULL)
        for (size_t i = 0; i < sizeof(sb->detail); i++)
            if (sb->detail[i] == '\0')
                return sb->detail;
#else
    (void)sb;
#endif
    return "";
}
