// SPDX-License-Identifier: MIT
/*
 * The region format's sentences: field names, broken rules, the
 * differences between two configuration records. Built by hand, not with
 * snprintf: the library links against nothing but the compiler's mem*
 * functions (the static port runs without a C library).
 */
#include <shmbox/shmbox_format.h>

void shmbox_format_text_str(struct shmbox_format_text *t, const char *s)
{
    for (; *s != '\0' && t->len + 1u < t->cap; s++)
        t->buf[t->len++] = *s;
    if (t->cap > 0)
        t->buf[t->len] = '\0';
}

void shmbox_format_text_u64(struct shmbox_format_text *t, uint64_t v)
{
    char digits[21];
    size_t n = sizeof(digits) - 1u;
    digits[n] = '\0';
    do {
        digits[--n] = (char)('0' + (int)(v % 10u));
        v /= 10u;
    } while (v != 0);
    shmbox_format_text_str(t, &digits[n]);
}

static void text_field(struct shmbox_format_text *t, enum shmbox_format_field f, uint32_t pool)
{
    static const char *const names[] = {
        [SHMBOX_FMT_F_LAYOUT_VERSION] = "layout version",
        [SHMBOX_FMT_F_PAGE_SIZE] = "CONFIG_SHMBOX_PAGE_SIZE",
        [SHMBOX_FMT_F_POOL_COUNT] = "CONFIG_SHMBOX_POOL_COUNT",
        [SHMBOX_FMT_F_MBOX_COUNT] = "CONFIG_SHMBOX_MBOX_COUNT",
        [SHMBOX_FMT_F_MBOX_DEPTH] = "CONFIG_SHMBOX_MBOX_DEPTH",
        [SHMBOX_FMT_F_MSG_SIZE] = "CONFIG_SHMBOX_MSG_SIZE",
        [SHMBOX_FMT_F_MAX_PROCS] = "CONFIG_SHMBOX_MAX_PROCS",
        [SHMBOX_FMT_F_VARIANT] = "CONFIG_SHMBOX_MINIMAL_CORE (layout variant: 1 compact, 0 classic)",
    };
    if (f == SHMBOX_FMT_F_SLOT_SIZE || f == SHMBOX_FMT_F_SLOT_COUNT) {
        shmbox_format_text_str(t, "CONFIG_SHMBOX_POOL");
        shmbox_format_text_u64(t, pool);
        shmbox_format_text_str(t, f == SHMBOX_FMT_F_SLOT_SIZE ? "_SLOT_SIZE" : "_SLOT_COUNT");
    } else if ((unsigned)f < sizeof(names) / sizeof(names[0]) && names[f] != NULL) {
        shmbox_format_text_str(t, names[f]);
    } else {
        shmbox_format_text_str(t, "?");
    }
}

size_t shmbox_format_field_name(enum shmbox_format_field field, uint32_t pool, char *buf, size_t cap)
{
    struct shmbox_format_text t = {buf, cap, 0};
    text_field(&t, field, pool);
    return t.len;
}

size_t shmbox_format_problem_text(const struct shmbox_format_problem *p, char *buf, size_t cap)
{
    struct shmbox_format_text t = {buf, cap, 0};
    text_field(&t, p->field, p->pool);
    shmbox_format_text_str(&t, "=");
    shmbox_format_text_u64(&t, p->value);
    shmbox_format_text_str(&t, ": ");
    switch (p->rule) {
    case SHMBOX_FMT_R_RANGE:
        shmbox_format_text_str(&t, "must be in ");
        shmbox_format_text_u64(&t, p->low);
        shmbox_format_text_str(&t, "..");
        shmbox_format_text_u64(&t, p->high);
        break;
    case SHMBOX_FMT_R_POW2:
        shmbox_format_text_str(&t, "must be a power of two");
        break;
    case SHMBOX_FMT_R_MULTIPLE:
        shmbox_format_text_str(&t, "must be a multiple of ");
        shmbox_format_text_u64(&t, p->low);
        if (p->field == SHMBOX_FMT_F_SLOT_SIZE)
            shmbox_format_text_str(&t, " (the slot alignment)");
        break;
    case SHMBOX_FMT_R_ORDER:
        shmbox_format_text_str(&t, "must be larger than ");
        text_field(&t, SHMBOX_FMT_F_SLOT_SIZE, p->pool - 1u);
        shmbox_format_text_str(&t, "=");
        shmbox_format_text_u64(&t, p->low);
        shmbox_format_text_str(&t, " (pools are ordered by slot size)");
        break;
    case SHMBOX_FMT_R_ABSENT:
        shmbox_format_text_str(&t, "must be 0: the pool is beyond CONFIG_SHMBOX_POOL_COUNT");
        break;
    default:
        shmbox_format_text_str(&t, "invalid");
        break;
    }
    return t.len;
}

struct diff {
    struct shmbox_format_text t;
    unsigned max, n;
};

static void differ(struct diff *d, enum shmbox_format_field f, uint32_t pool, uint32_t theirs, uint32_t ours)
{
    if (theirs == ours)
        return;
    if (d->max == 0 || d->n < d->max) {
        if (d->n > 0)
            shmbox_format_text_str(&d->t, "; ");
        text_field(&d->t, f, pool);
        shmbox_format_text_str(&d->t, ": region has ");
        shmbox_format_text_u64(&d->t, theirs);
        shmbox_format_text_str(&d->t, ", this build ");
        shmbox_format_text_u64(&d->t, ours);
    }
    d->n++;
}

unsigned shmbox_format_diff(const struct shmbox_cfg_rec *region, const struct shmbox_cfg_rec *build,
                            unsigned max_items, char *buf, size_t cap)
{
    struct diff d = {{buf, cap, 0}, max_items, 0};
    if (cap > 0)
        buf[0] = '\0';
    differ(&d, SHMBOX_FMT_F_LAYOUT_VERSION, 0, region->layout_version, build->layout_version);
    differ(&d, SHMBOX_FMT_F_PAGE_SIZE, 0, region->page_size, build->page_size);
    differ(&d, SHMBOX_FMT_F_POOL_COUNT, 0, region->pool_count, build->pool_count);
    differ(&d, SHMBOX_FMT_F_MBOX_COUNT, 0, region->mbox_count, build->mbox_count);
    differ(&d, SHMBOX_FMT_F_MBOX_DEPTH, 0, region->mbox_depth, build->mbox_depth);
    differ(&d, SHMBOX_FMT_F_MSG_SIZE, 0, region->msg_size, build->msg_size);
    differ(&d, SHMBOX_FMT_F_MAX_PROCS, 0, region->max_procs, build->max_procs);
    differ(&d, SHMBOX_FMT_F_VARIANT, 0, region->variant, build->variant);
    for (uint32_t n = 0; n < SHMBOX_MAX_POOLS; n++) {
        differ(&d, SHMBOX_FMT_F_SLOT_SIZE, n, region->slot_size[n], build->slot_size[n]);
        differ(&d, SHMBOX_FMT_F_SLOT_COUNT, n, region->slot_count[n], build->slot_count[n]);
    }
    if (d.t.len + 1u >= cap && cap >= 4u) {
        buf[cap - 4u] = '.';
        buf[cap - 3u] = '.';
        buf[cap - 2u] = '.';
        buf[cap - 1u] = '\0';
    }
    return d.n;
}
