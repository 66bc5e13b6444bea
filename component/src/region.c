// SPDX-License-Identifier: MIT
/*
 * Region lifecycle: create and open, and the init protocol (close and
 * unlink: region_map.c).
 *
 * The creator maps a zeroed region, sets init_state INITIALIZING, builds
 * the header, pools and mailboxes, writes the magic, and finally stores
 * READY (release). An opener waits (bounded by its timeout) for READY,
 * then checks magic, version, fingerprint and every recorded config value.
 * A creator that dies mid-way leaves INITIALIZING forever; the opener
 * reports that as -EBADMSG once the creator is known dead, or -ETIMEDOUT.
 * Where the port can tell a creator at work without pids (the POSIX
 * port's creator lock, see shmbox_port_region_creating), a live creator
 * is waited for however long it takes to size and build the region.
 */
#include <string.h>

#include <errno.h>

#include <shmbox/port.h>

#include "access.h"
#include "deadline.h"
#include "detail.h"
#include "handle_layout.h"
#include "hooks.h"
#include "mailbox.h"
#include "pool.h"
#include "proc.h"
#include "region_map.h"

/* How long a region may stay EMPTY (or too small) before an opener
 * concludes that its creator died before starting to initialise it. */
#define SHMBOX_INIT_GRACE_NS SHMBOX_MS_NS(3000)

/* The length of a nap (nothing to wait on: a region too small yet, or
 * removed between a create and an open). */
#define NAP_NS SHMBOX_MS_NS(1)

/* The longest sleep on a region's init state: a creator's death wakes
 * nobody, so an opener looks again this often. */
#define READY_SLICE_NS SHMBOX_MS_NS(2)

/* How often an open looks for a region that does not exist yet (there is
 * no word to wait on before the region exists). */
#define APPEAR_POLL_NS SHMBOX_MS_NS(10)

int shmbox_create(shmbox_t *sb, const char *name)
{
    int rc = sbx_region_begin(sb, name);
    if (rc < 0)
        return rc;
    struct shmbox_port_map map;
    rc = shmbox_port_region_create(name, SHMBOX_REGION_SIZE, SHMBOX_MODE_BITS, &map);
    if (rc < 0)
        return rc;
    sbx_region_set_handle(sb, &map, name);
    struct shmbox_cfg_rec mine;
    sbx_layout_cfg(&mine);
    sbx_lay_fill(sb, &mine, 0);

    struct shmbox_hdr *h = sbx_hdr_of(sb);
    /* Memory that existed before (a device region, a firmware's fixed
     * address) may hold a ready region: never wiped by a create. */
    if (h->magic == SHMBOX_MAGIC && atomic_load_explicit(&h->init_state, memory_order_acquire) == SHMBOX_INIT_READY) {
        sbx_region_unmap(sb);
        return -EEXIST;
    }
    memset(h, 0, (size_t)SHMBOX_HDR_SIZE); /* the header with this build's process table */
    /* Identity first, then INITIALIZING (release): an opener that sees
     * INITIALIZING can tell whether the creator is still alive. */
    h->creator_pid = shmbox_port_pid();
    h->creator_token = shmbox_port_proc_token(h->creator_pid);
    h->creator_pid_ns = shmbox_port_pid_ns();
    _Static_assert(SHMBOX_NAME_MAX + 1 == SHMBOX_HDR_NAME_LEN, "the header holds a whole name");
    memcpy(h->name, sb->name, sizeof(h->name));
    atomic_store_explicit(&h->init_state, SHMBOX_INIT_INITIALIZING, memory_order_release);
    h->layout_version = SHMBOX_LAYOUT_VERSION;
    h->region_size = SHMBOX_REGION_SIZE;
    h->header_size = (uint32_t)SHMBOX_HDR_SIZE;
    h->cfg = mine;
    h->fingerprint = shmbox_format_fingerprint(&mine);
    sbx_pool_init(sb);
    sbx_mbox_init(sb);
    SHMBOX_HOOK(SHMBOX_HOOK_CREATE_INIT);
    struct sbx_deadline never = sbx_deadline_never();
    rc = sbx_proc_attach(sb, &never, NULL);
    if (rc < 0) {
        sbx_region_unmap(sb);
        (void)shmbox_port_region_unlink(name);
        return rc;
    }
    h->magic = SHMBOX_MAGIC;
    atomic_store_explicit(&h->init_state, SHMBOX_INIT_READY, memory_order_release);
    shmbox_port_wake(&h->init_state, 0);
    shmbox_port_region_ready(&map);
    return 0;
}

/*
 * Check the header of a READY region and take its layout into the handle:
 * this build's (else -EPROTO), or with @p any whatever layout the region
 * format accepts. The record is read once, into a copy: the region's bytes
 * may change under us, the handle's copy does not.
 */
static int validate(shmbox_t *sb, int any)
{
    struct shmbox_hdr *h = sbx_hdr_of(sb);
    if (h->magic != SHMBOX_MAGIC) {
        sbx_detail_set(sb, "bad magic: not a shmbox region");
        return -EBADMSG;
    }
    struct shmbox_cfg_rec rec, mine;
    memcpy(&rec, &h->cfg, sizeof(rec));
    uint32_t version = h->layout_version;
    uint64_t fingerprint = h->fingerprint;
    sbx_layout_cfg(&mine);
    int same = version == SHMBOX_LAYOUT_VERSION && memcmp(&rec, &mine, sizeof(mine)) == 0;
    if (shmbox_format_fingerprint(&rec) != fingerprint) {
        sbx_detail_set(sb, "header checksum mismatch: corrupt header");
        return -EBADMSG;
    }
    if (!same && !any) {
        sbx_detail_mismatch(sb, &rec, version);
        return -EPROTO;
    }
    /* Another layout variant (the compact one: the minimal core's, a
     * region only firmware cores share) is not this core's to run. */
    if (rec.variant != SHMBOX_VARIANT_CLASSIC) {
        sbx_detail_set_u64(sb, "layout variant ", rec.variant,
                           rec.variant == SHMBOX_VARIANT_COMPACT
                               ? " (compact: CONFIG_SHMBOX_MINIMAL_CORE, a region only firmware cores share)"
                               : " (unknown)");
        return -EPROTO;
    }
#ifndef CONFIG_SHMBOX_PORT_STATIC /* shmbox_open_any(): Linux ports */
    if (!same) {
        struct shmbox_format_problem p;
        if (version != SHMBOX_LAYOUT_VERSION)
            rec.layout_version = version; /* named as the header states it */
        if (shmbox_format_check(&rec, SHMBOX_FMT_PAGE_MIN, &p, 1) != 0) {
            sbx_detail_problem(sb, &p);
            return -EPROTO;
        }
    }
#endif
    /* Liveness (pids, /proc) and lock owners (kernel thread ids) mean
     * something only inside one PID namespace. */
    uint64_t ns = shmbox_port_pid_ns();
    /* A firmware's owner values are its own ids, in no PID namespace. */
    int firmware = shmbox_lock_by_firmware(shmbox_port_tid());
    if (h->creator_pid_ns != 0 && h->creator_pid_ns != ns && !firmware) {
        /* Ours unknown (no /proc): it cannot be shown to be the same. */
        sbx_detail_set_u64(sb, ns != 0 ? "made in another PID namespace (" : "made in PID namespace ",
                              h->creator_pid_ns,
                              ns != 0 ? "): share the PID namespace with its processes"
                                      : ", and this process cannot tell its own (no /proc)");
        return -EXDEV;
    }
    struct shmbox_format_layout l;
    shmbox_format_layout(&rec, &l);
    if (h->region_size != l.region_size || sb->size < l.region_size) {
        sbx_detail_size(sb, sb->size, l.region_size);
        return -EBADMSG;
    }
    sbx_lay_fill(sb, &rec, !same);
    return 0;
}

/* Sleep about NAP_NS (there is no word to wait on). */
static void nap(void)
{
    _Atomic uint32_t never = 0;
    (void)shmbox_port_wait(&never, 0, shmbox_port_now_ns() + NAP_NS);
}

/*
 * Wait for READY. -EBADMSG if the creator died while initialising: at once
 * when its recorded identity (pid + token) is dead or reused; when it died
 * before recording it (state still EMPTY), once the region has stayed
 * EMPTY for SHMBOX_INIT_GRACE_NS. Never an endless wait.
 */
static int wait_ready(shmbox_t *sb, struct sbx_deadline *d)
{
    struct shmbox_hdr *h = sbx_hdr_of(sb);
    uint64_t empty_since = 0;
    for (;;) {
        uint32_t st = atomic_load_explicit(&h->init_state, memory_order_acquire);
        if (st == SHMBOX_INIT_READY)
            return 0;
        if (st != SHMBOX_INIT_INITIALIZING && st != SHMBOX_INIT_EMPTY) {
            sbx_detail_set_u64(sb, "bad init state ", st, "");
            return -EBADMSG;
        }
        uint64_t now = shmbox_port_now_ns();
        struct shmbox_port_map map = {sb->base, sb->size, sb->port_handle};
        int creating = shmbox_port_region_creating(&map);
        if (creating == 1 || (st == SHMBOX_INIT_EMPTY && sbx_is_device(sb))) {
            /* A live creator at work, however slow; or device memory,
             * which exists before its region: its creator (a firmware
             * not booted yet, say) may come at any time. */
            empty_since = 0;
        } else if (st == SHMBOX_INIT_EMPTY && creating == 0) {
            /* The port can tell: no creator is at work, and none started. */
            if (atomic_load_explicit(&h->init_state, memory_order_acquire) != st)
                continue;
            sbx_detail_set(sb, "never initialised: its creator died before starting");
            return -EBADMSG;
        } else if (st == SHMBOX_INIT_INITIALIZING) {
            /* The process table's rule: a firmware creator is never
             * taken for dead by Linux. */
            if (!sbx_proc_alive(h->creator_pid, h->creator_token)) {
                /* It may have finished and exited since we read the state. */
                if (atomic_load_explicit(&h->init_state, memory_order_acquire) != st)
                    continue;
                sbx_detail_set_u64(sb, "creator (pid ", h->creator_pid, ") died while initialising");
                return -EBADMSG;
            }
        } else if (empty_since == 0) {
            empty_since = now;
        } else if (now - empty_since >= SHMBOX_INIT_GRACE_NS) {
            sbx_detail_set(sb, "never initialised: its creator died before starting");
            return -EBADMSG;
        }
        if (sbx_deadline_reached(d, now)) {
            sbx_detail_set(sb, "not initialised in time");
            return -ETIMEDOUT;
        }
        /* Sleep in short slices: a creator's death wakes nobody. */
        (void)shmbox_port_wait(&h->init_state, st, sbx_deadline_cap(d, now + READY_SLICE_NS));
    }
}

/*
 * Map the region @p name whole: waits out a creator still sizing it, and
 * (with @p wait_appear) a name that does not exist yet, until @p d.
 */
static int map_region(shmbox_t *sb, const char *name, struct sbx_deadline *d, int wait_appear,
                      struct shmbox_port_map *map)
{
    /* Too small: -EINPROGRESS while a creator is (or may still be) sizing
     * it, as the port tells; -EBADMSG when none will. */
    for (;;) {
        int rc = shmbox_port_region_open(name, SHMBOX_HDR_SIZE, map);
        if (rc == -EBADMSG)
            sbx_detail_set(sb, "too small to be a shmbox region");
        if (rc != -EINPROGRESS && (rc != -ENOENT || !wait_appear))
            return rc;
        uint64_t now = shmbox_port_now_ns();
        if (sbx_deadline_reached(d, now)) {
            if (rc == -ENOENT)
                return rc;
            sbx_detail_set(sb, "not initialised in time (still too small)");
            return -ETIMEDOUT;
        }
        if (rc == -ENOENT) {
            _Atomic uint32_t never = 0;
            (void)shmbox_port_wait(&never, 0, sbx_deadline_cap(d, now + APPEAR_POLL_NS));
        } else {
            nap();
        }
    }
}

/*
 * shmbox_open(), and the open half of shmbox_open_or_create(), after
 * sbx_region_begin(), until @p d: with
 * @p alone non-NULL, a region that does not exist is -ENOENT at once, and
 * *alone tells whether no other live process was attached (a stale region,
 * now ours: see sbx_proc_attach). Without it, a region that does not
 * exist yet, or was removed while we looked (SysV: -ENOENT at attach), is
 * waited for until the deadline.
 */
static int open_region(shmbox_t *sb, const char *name, struct sbx_deadline *d, int *alone, int any)
{
    for (;;) {
        struct shmbox_port_map map;
        int rc = map_region(sb, name, d, alone == NULL && !sbx_deadline_nowait(d), &map);
        if (rc < 0)
            return rc;
        sbx_region_set_handle(sb, &map, name);
        rc = wait_ready(sb, d);
        if (rc == 0)
            rc = validate(sb, any);
        if (rc == 0) {
            rc = sbx_proc_attach(sb, d, alone);
            if (rc == -ETIMEDOUT)
                sbx_detail_set(sb, "process table lock not available in time");
        }
        if (rc == 0)
            return 0;
        char detail[SHMBOX_DETAIL_MAX];
        memcpy(detail, sb->detail, sizeof(detail));
        sbx_region_unmap(sb);
        memset(sb, 0, sizeof(*sb));
        memcpy(sb->detail, detail, sizeof(detail));
        /* Removed meanwhile: look again (the caller's deadline holds). */
        if (rc != -ENOENT || alone != NULL || sbx_deadline_nowait(d) || sbx_deadline_passed(d))
            return rc;
    }
}

/* An open's deadline, computed at once (an open waits anyway). */
static int open_deadline(int32_t timeout_ms, struct sbx_deadline *d)
{
    if (sbx_deadline_from_ms(timeout_ms, d) < 0)
        return -EINVAL;
    (void)sbx_deadline_ns(d);
    return 0;
}

/* shmbox_open() and shmbox_open_any() (@p any: whatever layout). */
static int open_named(shmbox_t *sb, const char *name, int32_t timeout_ms, int any)
{
    struct sbx_deadline d;
    int rc = sbx_region_begin(sb, name);
    if (rc < 0)
        return rc;
    if (open_deadline(timeout_ms, &d) < 0)
        return -EINVAL;
    return open_region(sb, name, &d, NULL, any);
}

int shmbox_open(shmbox_t *sb, const char *name, int32_t timeout_ms)
{
    return open_named(sb, name, timeout_ms, 0);
}

#ifndef CONFIG_SHMBOX_PORT_STATIC
int shmbox_open_any(shmbox_t *sb, const char *name, int32_t timeout_ms)
{
    return open_named(sb, name, timeout_ms, 1);
}
#endif

int shmbox_open_or_create(shmbox_t *sb, const char *name, int32_t timeout_ms)
{
    struct sbx_deadline d;
    if (open_deadline(timeout_ms, &d) < 0)
        return -EINVAL;
    for (;;) {
        int rc = shmbox_create(sb, name);
        if (rc != -EEXIST)
            return rc == 0 ? 1 : rc;
        int alone = 0;
        rc = sbx_region_begin(sb, name);
        if (rc == 0)
            rc = open_region(sb, name, &d, &alone, 0);
        if (rc == 0)
            return alone; /* 1: it was stale, and is a fresh region now */
        if (rc != -ENOENT)
            return rc;
        /* Removed between our create and our open: create again. */
        if (sbx_deadline_passed(&d))
            return -ETIMEDOUT;
        nap();
    }
}
