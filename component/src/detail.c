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

/* Name the first recorded config value that differs from this build's
 * (the region format's text, as the shmbox tool prints it). */
void sbx_detail_mismatch(shmbox_t *sb, const struct shmbox_cfg_rec *r, uint32_t version)
{
    struct shmbox_cfg_rec mine, theirs = *r;
    sbx_layout_cfg(&mine);
    if (version != SHMBOX_LAYOUT_VERSION)
        theirs.layout_version = version;
    if (shmbox_format_diff(&theirs, &mine, 1, sb->detail, sizeof(sb->detail)) == 0)
        sbx_detail_set(sb, "layout fingerprint differs (region corrupt?)");
}

/* The first rule a region's record breaks. */
void sbx_detail_problem(shmbox_t *sb, const struct shmbox_format_problem *p)
{
    (void)shmbox_format_problem_text(p, sb->detail, sizeof(sb->detail));
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
