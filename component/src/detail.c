// SPDX-License-Identifier: MIT
/*
 * The detail text of a create/open failure (shmbox_error_detail), built by
 * hand, not with snprintf: the component links against nothing but mem*
 * functions (the static port runs without a C library). text_* append to
 * a NUL-terminated buffer, truncating.
 */
#include "detail.h"

#include "layout.h"

#ifdef CONFIG_SHMBOX_ERROR_DETAIL
struct text {
    char *buf;
    size_t cap, len;
};

static void text_str(struct text *t, const char *s)
{
    for (; *s != '\0' && t->len + 1u < t->cap; s++)
        t->buf[t->len++] = *s;
    t->buf[t->len] = '\0';
}

static void text_u64(struct text *t, uint64_t v)
{
    char digits[21];
    size_t n = sizeof(digits) - 1u;
    digits[n] = '\0';
    do {
        digits[--n] = (char)('0' + (int)(v % 10u));
        v /= 10u;
    } while (v != 0);
    text_str(t, &digits[n]);
}

static struct text detail_text(shmbox_t *sb)
{
    struct text t = {sb->detail, sizeof(sb->detail), 0};
    sb->detail[0] = '\0';
    return t;
}

void sbx_detail_set(shmbox_t *sb, const char *msg)
{
    struct text t = detail_text(sb);
    text_str(&t, msg);
}

/* "<a><n><b>" into the detail text. */
void sbx_detail_set_u64(shmbox_t *sb, const char *a, uint64_t n, const char *b)
{
    struct text t = detail_text(sb);
    text_str(&t, a);
    text_u64(&t, n);
    text_str(&t, b);
}

/* Name the first recorded config value that differs from this build's. */
void sbx_detail_mismatch(shmbox_t *sb, const struct shmbox_cfg_rec *r)
{
    struct shmbox_cfg_rec mine;
    sbx_layout_cfg(&mine);
    const char *what = NULL;
    unsigned long theirs = 0, ours = 0;
    char buf[48];
#define CMP(field, label)                      \
    if (what == NULL && r->field != mine.field) { \
        what = label;                          \
        theirs = r->field;                     \
        ours = mine.field;                     \
    }
    CMP(layout_version, "layout version")
    CMP(page_size, "CONFIG_SHMBOX_PAGE_SIZE")
    CMP(pool_count, "CONFIG_SHMBOX_POOL_COUNT")
    CMP(mbox_count, "CONFIG_SHMBOX_MBOX_COUNT")
    CMP(mbox_depth, "CONFIG_SHMBOX_MBOX_DEPTH")
    CMP(msg_size, "CONFIG_SHMBOX_MSG_SIZE")
    CMP(max_procs, "CONFIG_SHMBOX_MAX_PROCS")
#undef CMP
    for (unsigned n = 0; what == NULL && n < SHMBOX_MAX_POOLS; n++) {
        int size_differs = r->slot_size[n] != mine.slot_size[n];
        if (!size_differs && r->slot_count[n] == mine.slot_count[n])
            continue;
        struct text t = {buf, sizeof(buf), 0};
        text_str(&t, "CONFIG_SHMBOX_POOL");
        text_u64(&t, n);
        text_str(&t, size_differs ? "_SLOT_SIZE" : "_SLOT_COUNT");
        what = buf;
        theirs = size_differs ? r->slot_size[n] : r->slot_count[n];
        ours = size_differs ? mine.slot_size[n] : mine.slot_count[n];
    }
    if (what == NULL) {
        sbx_detail_set(sb, "layout fingerprint differs (region corrupt?)");
    } else {
        struct text t = detail_text(sb);
        text_str(&t, what);
        text_str(&t, ": region has ");
        text_u64(&t, theirs);
        text_str(&t, ", this build ");
        text_u64(&t, ours);
    }
}

void sbx_detail_size(shmbox_t *sb, uint64_t have, uint64_t need)
{
    struct text t = detail_text(sb);
    text_str(&t, "region size ");
    text_u64(&t, have);
    text_str(&t, ", layout needs ");
    text_u64(&t, need);
}
#endif /* CONFIG_SHMBOX_ERROR_DETAIL */
