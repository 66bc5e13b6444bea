// SPDX-License-Identifier: MIT
/*
 * The detail text of a create/open failure (shmbox_error_detail), built by
 * hand, not with snprintf: the component links against nothing but mem*
 * functions (the static port runs without a C library). The region
 * format's shmbox_format_text_* append to a NUL-terminated buffer,
 * truncating.
 */
#include "detail.h"

#include "layout.h"

#ifdef CONFIG_SHMBOX_ERROR_DETAIL
static struct shmbox_format_text detail_text(shmbox_t *sb)
{
    struct shmbox_format_text t = {sb->detail, sizeof(sb->detail), 0};
    sb->detail[0] = '\0';
    return t;
}

void sbx_detail_set(shmbox_t *sb, const char *msg)
{
    struct shmbox_format_text t = detail_text(sb);
    shmbox_format_text_str(&t, msg);
}

/* "<a><n><b>" into the detail text. */
void sbx_detail_set_u64(shmbox_t *sb, const char *a, uint64_t n, const char *b)
{
    struct shmbox_format_text t = detail_text(sb);
    shmbox_format_text_str(&t, a);
    shmbox_format_text_u64(&t, n);
    shmbox_format_text_str(&t, b);
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
    struct shmbox_format_text t = detail_text(sb);
    shmbox_format_text_str(&t, "region size ");
    shmbox_format_text_u64(&t, have);
    shmbox_format_text_str(&t, ", layout needs ");
    shmbox_format_text_u64(&t, need);
}
#endif /* CONFIG_SHMBOX_ERROR_DETAIL */
