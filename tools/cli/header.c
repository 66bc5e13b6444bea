// SPDX-License-Identifier: MIT
/*
 * Reading a region's header without the API, so that regions made by a
 * build with a different config (or another port) can still be shown.
 *
 * Everything read here is untrusted: the config record is checked by the
 * region format (shmbox_format_check) before its layout is computed
 * (shmbox_format_layout), the process table is read only as
 * far as it is mapped, and counters are read only when the layout computed
 * from the record has exactly the size the header records. The counters
 * are read without taking the region's locks (the mapping is read-only),
 * so they are a best-effort snapshot.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define HDR_FIXED ((uint64_t)offsetof(struct shmbox_hdr, procs))

static uint32_t rd32(const unsigned char *base, uint64_t off)
{
    return *(const volatile uint32_t *)(const volatile void *)(base + off);
}

static uint64_t rd64(const unsigned char *base, uint64_t off)
{
    return *(const volatile uint64_t *)(const volatile void *)(base + off);
}

/* The config record holds values a layout can be computed from (a region
 * Linux processes map: pages of at least 4 KiB). */
static int cfg_sane(const struct shmbox_cfg_rec *c)
{
    return shmbox_format_check(c, SHMBOX_FMT_PAGE_MIN_LINUX, NULL, 0) == 0;
}

static int pid_alive(uint32_t pid, uint64_t token)
{
    return shmbox_proc_alive(pid, token);
}

static void read_procs(const struct cli_region *r, struct cli_view *v)
{
    uint32_t max = v->cfg.max_procs;
    if (max > CLI_MAX_PROCS || SHMBOX_FMT_HDR_SIZE(max) > r->mapped)
        return;
    for (uint32_t i = 0; i < max; i++) {
        uint64_t e = HDR_FIXED + (uint64_t)i * sizeof(struct shmbox_proc);
        uint32_t pid = rd32(r->base, e + offsetof(struct shmbox_proc, pid));
        if (pid == 0)
            continue;
        uint64_t token = (uint64_t)rd32(r->base, e + offsetof(struct shmbox_proc, token_hi)) << 32 |
                         rd32(r->base, e + offsetof(struct shmbox_proc, token_lo));
        v->pids[v->nprocs] = pid;
        v->alive[v->nprocs] = (uint8_t)pid_alive(pid, token);
        v->attached += v->alive[v->nprocs];
        v->nprocs++;
    }
}

static void read_counters(const struct cli_region *r, struct cli_view *v)
{
    struct shmbox_format_layout l;
    shmbox_format_layout(&v->cfg, &l);
    if (l.region_size != v->region_size || l.region_size > r->mapped)
        return;
    for (uint32_t n = 0; n < v->cfg.pool_count; n++) {
        uint64_t c = l.pool_off[n];
        v->pool[n].used = rd32(r->base, c + offsetof(struct shmbox_pool_ctl, used));
        v->pool[n].peak = rd32(r->base, c + offsetof(struct shmbox_pool_ctl, peak));
    }
    for (uint32_t m = 0; m < v->cfg.mbox_count; m++) {
        uint64_t c = l.mbox_off + (uint64_t)m * l.mbox_stride;
        uint32_t count = rd32(r->base, c + offsetof(struct shmbox_mbox_ctl, tail)) -
                         rd32(r->base, c + offsetof(struct shmbox_mbox_ctl, head));
        v->mbox[m].count = count <= v->cfg.mbox_depth ? count : 0;
        v->mbox[m].peak = rd32(r->base, c + offsetof(struct shmbox_mbox_ctl, peak));
        v->mbox[m].sent = rd64(r->base, c + offsetof(struct shmbox_mbox_ctl, sent));
        v->mbox[m].received = rd64(r->base, c + offsetof(struct shmbox_mbox_ctl, received));
    }
    v->have_counters = 1;
}

void cli_view_read(const struct cli_region *r, struct cli_view *v)
{
    memset(v, 0, sizeof(*v));
    if (r->base == NULL || r->mapped < HDR_FIXED) {
        v->err = -EBADMSG;
        snprintf(v->detail, sizeof(v->detail), "too small to be a shmbox region (%llu bytes)",
                 (unsigned long long)r->mapped);
        return;
    }
    const unsigned char *b = r->base;
    uint64_t magic = rd64(b, offsetof(struct shmbox_hdr, magic));
    v->init_state = rd32(b, offsetof(struct shmbox_hdr, init_state));
    v->layout_version = rd32(b, offsetof(struct shmbox_hdr, layout_version));
    v->fingerprint = rd64(b, offsetof(struct shmbox_hdr, fingerprint));
    v->region_size = rd64(b, offsetof(struct shmbox_hdr, region_size));
    v->creator_pid = rd32(b, offsetof(struct shmbox_hdr, creator_pid));
    v->creator_alive = pid_alive(v->creator_pid, rd64(b, offsetof(struct shmbox_hdr, creator_token)));
    memcpy(&v->cfg, b + offsetof(struct shmbox_hdr, cfg), sizeof(v->cfg));
    v->recoveries = rd32(b, offsetof(struct shmbox_hdr, recoveries));
    memcpy(v->name, b + offsetof(struct shmbox_hdr, name), sizeof(v->name));
    v->name[sizeof(v->name) - 1u] = '\0';
    if (!cli_name_valid(v->name))
        v->name[0] = '\0'; /* an older region, or bytes of no meaning */

    if (v->init_state != SHMBOX_INIT_READY) {
        v->err = -EBADMSG;
        /* A creator records itself before anything else: a region being
         * initialised (or whose creator died doing so) is recognised by
         * that record (pid and start-time token) and a layout version that
         * is this one or not written yet; zeroes or garbage are not. */
        v->shmbox = v->init_state == SHMBOX_INIT_INITIALIZING && v->creator_pid != 0 &&
                    rd64(b, offsetof(struct shmbox_hdr, creator_token)) != 0 &&
                    (v->layout_version == 0 || v->layout_version == SHMBOX_LAYOUT_VERSION);
        if (v->init_state != SHMBOX_INIT_INITIALIZING && v->init_state != SHMBOX_INIT_EMPTY)
            snprintf(v->detail, sizeof(v->detail), "bad init state %u", (unsigned)v->init_state);
        else if (v->init_state == SHMBOX_INIT_EMPTY && v->creator_pid == 0)
            snprintf(v->detail, sizeof(v->detail), "no region here: its header is empty or removed");
        else if (v->creator_alive)
            snprintf(v->detail, sizeof(v->detail), "being initialised by pid %u", (unsigned)v->creator_pid);
        else
            snprintf(v->detail, sizeof(v->detail), "creator (pid %u) died while initialising",
                     (unsigned)v->creator_pid);
        if (cfg_sane(&v->cfg))
            read_procs(r, v);
        return;
    }
    if (magic != SHMBOX_MAGIC) {
        v->err = -EBADMSG;
        snprintf(v->detail, sizeof(v->detail), "bad magic: not a shmbox region");
        return;
    }
    if (shmbox_format_fingerprint(&v->cfg) != v->fingerprint || !cfg_sane(&v->cfg)) {
        v->err = -EBADMSG;
        snprintf(v->detail, sizeof(v->detail), "header checksum mismatch: corrupt header");
        return;
    }
    v->shmbox = 1;
    struct shmbox_cfg_rec mine;
    shmbox_config_record(&mine);
    v->same_layout = v->layout_version == SHMBOX_LAYOUT_VERSION && memcmp(&mine, &v->cfg, sizeof(mine)) == 0;
    read_procs(r, v);
    v->nmbox = v->cfg.mbox_count;
    for (uint32_t n = 0; n < v->cfg.pool_count; n++) {
        v->pool[n].slot_size = v->cfg.slot_size[n];
        v->pool[n].slot_count = v->cfg.slot_count[n];
    }
    for (uint32_t m = 0; m < v->nmbox; m++) {
        v->mbox[m].depth = v->cfg.mbox_depth;
        v->mbox[m].msg_size = v->cfg.msg_size;
    }
    if (v->layout_version == SHMBOX_LAYOUT_VERSION)
        read_counters(r, v);
}

uint32_t cli_view_live(const struct cli_view *v)
{
    if (v->attached > 0)
        return v->attached;
    return v->init_state != SHMBOX_INIT_READY && v->creator_alive ? 1u : 0u;
}

int cli_view_stale(const struct cli_view *v)
{
    return v->shmbox && cli_view_live(v) == 0;
}

void cli_region_named(struct cli_region *r, const struct cli_view *v)
{
    if (r->port != CLI_PORT_SYSV || v->name[0] == '\0' || cli_sysv_key(v->name) != r->key)
        return;
    snprintf(r->name, sizeof(r->name), "%s", v->name);
    snprintf(r->label, sizeof(r->label), "sysv:%s", v->name);
}

void cli_view_diff(const struct cli_view *v, char *buf, size_t cap)
{
    struct shmbox_cfg_rec mine, theirs = v->cfg;
    shmbox_config_record(&mine);
    theirs.layout_version = v->layout_version;
    shmbox_format_diff(&theirs, &mine, 0, buf, cap);
}

int cli_region_look(const char *arg, struct cli_region *r, struct cli_view *v)
{
    int rc = cli_region_find(arg, r);
    if (rc == -EINVAL)
        return cli_bad_name(arg);
    if (rc < 0)
        return cli_error(arg, rc, NULL);
    rc = cli_region_map(r);
    if (rc < 0)
        return cli_error(r->label, rc, rc == -EBADMSG ? "empty object" : NULL);
    cli_view_read(r, v);
    return CLI_OK;
}
