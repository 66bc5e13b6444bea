// SPDX-License-Identifier: MIT
/* The detail text of a create/open failure (see shmbox_error_detail). */
#ifndef SHMBOX_DETAIL_H
#define SHMBOX_DETAIL_H

#include <stdint.h>

#include <shmbox/shmbox.h>

#include "layout.h"

#ifndef CONFIG_SHMBOX_ERROR_DETAIL
/* Without failure details (a small firmware): the text stays empty (the
 * handle is zeroed when a create/open begins), and no text is linked. */
#define sbx_detail_set(sb, msg) ((void)(sb))
#define sbx_detail_set_u64(sb, a, n, b) ((void)(sb), (void)(n))
#define sbx_detail_mismatch(sb, r, version) ((void)(sb), (void)(r), (void)(version))
#define sbx_detail_problem(sb, p) ((void)(sb), (void)(p))
#define sbx_detail_size(sb, have, need) ((void)(sb), (void)(have), (void)(need))
#else
/* Set the text to @p msg. */
void sbx_detail_set(shmbox_t *sb, const char *msg);

/* Set the text to "<a><n><b>". */
void sbx_detail_set_u64(shmbox_t *sb, const char *a, uint64_t n, const char *b);

/* Name the first recorded config value of @p r (its header's layout
 * version @p version) that differs from this build's
 * ("CONFIG_SHMBOX_MSG_SIZE: region has 128, this build 64"). */
void sbx_detail_mismatch(shmbox_t *sb, const struct shmbox_cfg_rec *r, uint32_t version);

/* "CONFIG_SHMBOX_MSG_SIZE=60: must be a multiple of 8": the first rule
 * of the region format a region's record breaks. */
void sbx_detail_problem(shmbox_t *sb, const struct shmbox_format_problem *p);

/* "region size <have>, layout needs <need>". */
void sbx_detail_size(shmbox_t *sb, uint64_t have, uint64_t need);
#endif /* CONFIG_SHMBOX_ERROR_DETAIL */

#endif /* SHMBOX_DETAIL_H */
