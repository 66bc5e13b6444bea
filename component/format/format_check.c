// SPDX-License-Identifier: MIT
/*
 * The region format's rules: checking a configuration record (a build's,
 * or one read from a region: untrusted). Pure C11, no operating system.
 */
#include <shmbox/shmbox_format.h>

static int pow2(uint32_t v)
{
    return v != 0 && (v & (v - 1u)) == 0;
}

struct checker {
    struct shmbox_format_problem *out;
    unsigned cap, n;
};

static void problem(struct checker *c, enum shmbox_format_field f, enum shmbox_format_rule r, uint32_t pool,
                    uint32_t value, uint32_t low, uint32_t high)
{
    if (c->n < c->cap) {
        struct shmbox_format_problem *p = &c->out[c->n];
        p->field = f;
        p->rule = r;
        p->pool = pool;
        p->value = value;
        p->low = low;
        p->high = high;
    }
    c->n++;
}

/* value in low..high, else a RANGE problem: 1 if in range. */
static int range(struct checker *c, enum shmbox_format_field f, uint32_t pool, uint32_t v, uint32_t low,
                 uint32_t high)
{
    if (v >= low && v <= high)
        return 1;
    problem(c, f, SHMBOX_FMT_R_RANGE, pool, v, low, high);
    return 0;
}

unsigned shmbox_format_check(const struct shmbox_cfg_rec *rec, uint32_t page_min,
                             struct shmbox_format_problem *out, unsigned cap)
{
    struct checker c = {out, out != NULL ? cap : 0u, 0};
    range(&c, SHMBOX_FMT_F_LAYOUT_VERSION, 0, rec->layout_version, SHMBOX_LAYOUT_VERSION, SHMBOX_LAYOUT_VERSION);
    if (range(&c, SHMBOX_FMT_F_PAGE_SIZE, 0, rec->page_size, page_min, SHMBOX_FMT_PAGE_MAX) && !pow2(rec->page_size))
        problem(&c, SHMBOX_FMT_F_PAGE_SIZE, SHMBOX_FMT_R_POW2, 0, rec->page_size, 0, 0);
    range(&c, SHMBOX_FMT_F_POOL_COUNT, 0, rec->pool_count, 1u, SHMBOX_MAX_POOLS);
    range(&c, SHMBOX_FMT_F_MBOX_COUNT, 0, rec->mbox_count, 1u, SHMBOX_FMT_MBOX_MAX);
    if (range(&c, SHMBOX_FMT_F_MBOX_DEPTH, 0, rec->mbox_depth, SHMBOX_FMT_DEPTH_MIN, SHMBOX_FMT_DEPTH_MAX) &&
        !pow2(rec->mbox_depth))
        problem(&c, SHMBOX_FMT_F_MBOX_DEPTH, SHMBOX_FMT_R_POW2, 0, rec->mbox_depth, 0, 0);
    if (range(&c, SHMBOX_FMT_F_MSG_SIZE, 0, rec->msg_size, SHMBOX_FMT_MSG_MIN, SHMBOX_FMT_MSG_MAX) &&
        rec->msg_size % SHMBOX_FMT_MSG_ALIGN != 0)
        problem(&c, SHMBOX_FMT_F_MSG_SIZE, SHMBOX_FMT_R_MULTIPLE, 0, rec->msg_size, SHMBOX_FMT_MSG_ALIGN, 0);
    range(&c, SHMBOX_FMT_F_MAX_PROCS, 0, rec->max_procs, 1u, SHMBOX_FMT_PROCS_MAX);
    /* The compact variant: firmware-only regions (no Linux page size). */
    range(&c, SHMBOX_FMT_F_VARIANT, 0, rec->variant, SHMBOX_VARIANT_CLASSIC,
          page_min < SHMBOX_FMT_PAGE_MIN_LINUX ? SHMBOX_VARIANT_COMPACT : SHMBOX_VARIANT_CLASSIC);
    uint32_t prev = 0;
    for (uint32_t n = 0; n < SHMBOX_MAX_POOLS; n++) {
        uint32_t size = rec->slot_size[n], count = rec->slot_count[n];
        if (n >= rec->pool_count) {
            if (size != 0)
                problem(&c, SHMBOX_FMT_F_SLOT_SIZE, SHMBOX_FMT_R_ABSENT, n, size, 0, 0);
            if (count != 0)
                problem(&c, SHMBOX_FMT_F_SLOT_COUNT, SHMBOX_FMT_R_ABSENT, n, count, 0, 0);
            continue;
        }
        if (range(&c, SHMBOX_FMT_F_SLOT_SIZE, n, size, SHMBOX_SLOT_ALIGN, SHMBOX_FMT_SLOT_SIZE_MAX) &&
            size % SHMBOX_SLOT_ALIGN != 0)
            problem(&c, SHMBOX_FMT_F_SLOT_SIZE, SHMBOX_FMT_R_MULTIPLE, n, size, SHMBOX_SLOT_ALIGN, 0);
        if (n > 0 && size <= prev)
            problem(&c, SHMBOX_FMT_F_SLOT_SIZE, SHMBOX_FMT_R_ORDER, n, size, prev, 0);
        prev = size;
        range(&c, SHMBOX_FMT_F_SLOT_COUNT, n, count, 1u, SHMBOX_FMT_SLOT_COUNT_MAX);
    }
    return c.n;
}
