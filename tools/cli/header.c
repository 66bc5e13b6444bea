// SPDX-License-Identifier: MIT
/*
 * Reading a region's header without the API, so that regions made by a
 * build with a different config (or another port) can still be shown.
 *
 * Everything read here is untrusted: the config record is range-checked
 * before it is used to compute offsets, the process table is read only as
 * far as it is mapped, and counters are read only when the layout computed
 * from the record has exactly the size the header records. The counters
 * are read without taking the region's locks (the mapping is read-only),
 * so they are a best-effort snapshot.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <shmbox/port.h>

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

static int pow2(uint32_t v)
{
    return v != 0 && (v & (v - 1u)) == 0;
}

/* The config record holds values this tool can compute a layout from. */
static int cfg_sane(const struct shmbox_cfg_rec *c)
{
    if (!pow2(c->page_size) || c->page_size < 4096u || c->page_size > 65536u || c->pool_count < 1u ||
        c->pool_count > SHMBOX_MAX_POOLS || c->mbox_count < 1u || c->mbox_count > 256u || !pow2(c->mbox_depth) ||
        c->mbox_depth < 2u || c->mbox_depth > 65536u || c->msg_size < 8u || c->msg_size > 4096u ||
        c->max_procs < 1u || c->max_procs > CLI_MAX_PROCS)
        return 0;
    for (uint32_t n = 0; n < SHMBOX_MAX_POOLS; n++)
        if (c->slot_size[n] > 268435456u || c->slot_count[n] > 1048575u ||
            (n < c->pool_count && (c->slot_size[n] == 0 || c->slot_count[n] == 0)))
            return 0;
    return 1;
}

static uint64_t page_up(uint64_t x, uint32_t page)
{
    return (x + page - 1u) / page * page;
}

/* The offsets layout.h computes at compile time, from a recorded config. */
void cli_layout_of(const struct shmbox_cfg_rec *c, struct cli_layout *l)
{
    uint64_t off = page_up(HDR_FIXED + (uint64_t)c->max_procs * sizeof(struct shmbox_proc), c->page_size);
    for (uint32_t n = 0; n < SHMBOX_MAX_POOLS; n++) {
        l->pool_off[n] = off;
        l->pool_data[n] = off;
        if (c->slot_count[n] != 0) {
            l->pool_data[n] = off + page_up(sizeof(struct shmbox_pool_ctl) +
                                                (uint64_t)c->slot_count[n] * sizeof(struct shmbox_slot_desc),
                                            c->page_size);
            off = l->pool_data[n] + page_up((uint64_t)c->slot_size[n] * c->slot_count[n], c->page_size);
        }
    }
    l->mbox_off = off;
    l->entry_size = offsetof(struct shmbox_mbox_entry, data) + (uint64_t)c->msg_size;
    l->mbox_stride = page_up(sizeof(struct shmbox_mbox_ctl) + (uint64_t)c->mbox_depth * l->entry_size, c->page_size);
    l->size = off + c->mbox_count * l->mbox_stride;
}

static int pid_alive(uint32_t pid, uint64_t token)
{
    return pid != 0 && token != 0 && shmbox_port_proc_token(pid) == token;
}

static void read_procs(const struct cli_region *r, struct cli_view *v)
{
    uint32_t max = v->cfg.max_procs;
    if (max > CLI_MAX_PROCS || HDR_FIXED + (uint64_t)max * sizeof(struct shmbox_proc) > r->mapped)
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
    struct cli_layout l;
    cli_layout_of(&v->cfg, &l);
    if (l.size != v->region_size || l.size > r->mapped)
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
    if (sbx_layout_fingerprint(&v->cfg) != v->fingerprint || !cfg_sane(&v->cfg)) {
        v->err = -EBADMSG;
        snprintf(v->detail, sizeof(v->detail), "header checksum mismatch: corrupt header");
        return;
    }
    v->shmbox = 1;
    struct shmbox_cfg_rec mine;
    sbx_layout_cfg(&mine);
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

int cli_view_stale(const struct cli_view *v)
{
    return v->shmbox && v->attached == 0 && !v->creator_alive;
}

void cli_view_diff(const struct cli_view *v, char *buf, size_t cap)
{
    struct shmbox_cfg_rec mine;
    sbx_layout_cfg(&mine);
    size_t len = 0;
    buf[0] = '\0';
#define ADD(label, theirs, ours)                                                                             \
    if ((theirs) != (ours) && len < cap) {                                                                   \
        int w = snprintf(buf + len, cap - len, "%s%s: region %lu, this build %lu", len ? "; " : "", label,  \
                         (unsigned long)(theirs), (unsigned long)(ours));                                    \
        len += w > 0 ? (size_t)w : 0u;                                                                       \
    }
    ADD("layout version", v->layout_version, mine.layout_version)
    ADD("CONFIG_SHMBOX_PAGE_SIZE", v->cfg.page_size, mine.page_size)
    ADD("CONFIG_SHMBOX_POOL_COUNT", v->cfg.pool_count, mine.pool_count)
    ADD("CONFIG_SHMBOX_MBOX_COUNT", v->cfg.mbox_count, mine.mbox_count)
    ADD("CONFIG_SHMBOX_MBOX_DEPTH", v->cfg.mbox_depth, mine.mbox_depth)
    ADD("CONFIG_SHMBOX_MSG_SIZE", v->cfg.msg_size, mine.msg_size)
    ADD("CONFIG_SHMBOX_MAX_PROCS", v->cfg.max_procs, mine.max_procs)
    for (unsigned n = 0; n < SHMBOX_MAX_POOLS; n++) {
        char label[40];
        snprintf(label, sizeof(label), "CONFIG_SHMBOX_POOL%u_SLOT_SIZE", n);
        ADD(label, v->cfg.slot_size[n], mine.slot_size[n])
        snprintf(label, sizeof(label), "CONFIG_SHMBOX_POOL%u_SLOT_COUNT", n);
        ADD(label, v->cfg.slot_count[n], mine.slot_count[n])
    }
#undef ADD
    if (len >= cap && cap > 4)
        memcpy(buf + cap - 4, "...", 4);
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
