// SPDX-License-Identifier: MIT
/*
 * The open region's layout in the handle (shmbox_t.lay): filled at create
 * from this build's record, at open from the header's (validated by the
 * region format first), and read back by shmbox_layout().
 */
#include "handle_layout.h"

void sbx_lay_fill(shmbox_t *sb, const struct shmbox_cfg_rec *rec, int foreign)
{
    struct shmbox_format_layout l;
    struct shmbox_handle_layout *h = &sb->lay;
    shmbox_format_layout(rec, &l);
    for (unsigned n = 0; n < SHMBOX_MAX_POOLS; n++) {
        h->pool_ctl[n] = (size_t)l.pool_off[n];
        h->pool_data[n] = (size_t)(l.pool_off[n] + l.pool_data_off[n]);
        h->slot_size[n] = rec->slot_size[n];
        h->slot_count[n] = rec->slot_count[n];
    }
    h->mbox_off = (size_t)l.mbox_off;
    h->mbox_stride = (size_t)l.mbox_stride;
    h->entry_size = (size_t)l.entry_size;
    h->pool_count = rec->pool_count;
    h->mbox_count = rec->mbox_count;
    h->mbox_mask = rec->mbox_depth - 1u;
    h->msg_size = rec->msg_size;
    h->max_procs = rec->max_procs;
    h->page_size = rec->page_size;
    h->foreign = (uint32_t)foreign;
}

int shmbox_layout(const shmbox_t *sb, struct shmbox_cfg_rec *rec)
{
    int rc = sbx_handle_check_out(sb, rec);
    if (rc < 0)
        return rc;
    const struct shmbox_handle_layout *h = &sb->lay;
    memset(rec, 0, sizeof(*rec));
    rec->layout_version = SHMBOX_LAYOUT_VERSION;
    rec->page_size = h->page_size;
    rec->pool_count = h->pool_count;
    rec->mbox_count = h->mbox_count;
    rec->mbox_depth = h->mbox_mask + 1u;
    rec->msg_size = h->msg_size;
    rec->max_procs = h->max_procs;
    for (unsigned n = 0; n < SHMBOX_MAX_POOLS; n++) {
        rec->slot_size[n] = h->slot_size[n];
        rec->slot_count[n] = h->slot_count[n];
    }
    return 0;
}
