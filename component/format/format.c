// SPDX-License-Identifier: MIT
/*
 * The region format's computations: the offsets of a region of a
 * configuration record, its fingerprint (the checks: format_check.c). Pure C11: no operating
 * system, no heap, no C library beyond the compiler's own headers.
 */
#include <shmbox/shmbox_format.h>

void shmbox_format_layout(const struct shmbox_cfg_rec *rec, struct shmbox_format_layout *lay)
{
    uint32_t page = rec->page_size != 0 ? rec->page_size : 1u;
    lay->hdr_size = SHMBOX_FMT_HDR_SIZE(rec->max_procs);
    lay->hdr_bytes = SHMBOX_FMT_HDR_BYTES(page, rec->max_procs);
    uint64_t off = lay->hdr_bytes;
    for (unsigned n = 0; n < SHMBOX_MAX_POOLS; n++) {
        lay->pool_off[n] = off;
        lay->pool_data_off[n] = SHMBOX_FMT_POOL_DATA_OFF(page, rec->slot_count[n]);
        lay->pool_bytes[n] = SHMBOX_FMT_POOL_BYTES(page, rec->slot_size[n], rec->slot_count[n]);
        off += lay->pool_bytes[n];
    }
    lay->mbox_off = off;
    lay->entry_size = SHMBOX_FMT_ENTRY_SIZE(rec->msg_size);
    lay->mbox_stride = SHMBOX_FMT_MBOX_STRIDE(page, rec->mbox_depth, rec->msg_size);
    lay->region_size = off + (uint64_t)rec->mbox_count * lay->mbox_stride;
}

uint64_t shmbox_format_fingerprint(const struct shmbox_cfg_rec *rec)
{
    /* The fields in their fixed order, then one loop (small code on a
     * 32-bit core), byte by byte, least significant first: the same on
     * every endianness. */
    uint32_t v[7 + 2 * SHMBOX_MAX_POOLS] = {rec->layout_version, rec->page_size, rec->pool_count, rec->mbox_count,
                                            rec->mbox_depth, rec->msg_size, rec->max_procs};
    for (unsigned n = 0; n < SHMBOX_MAX_POOLS; n++) {
        v[7 + 2 * n] = rec->slot_size[n];
        v[8 + 2 * n] = rec->slot_count[n];
    }
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned i = 0; i < 4u * (sizeof(v) / sizeof(v[0])); i++) {
        h ^= (uint8_t)(v[i / 4u] >> (8u * (i % 4u)));
        h *= 0x100000001b3ull;
    }
    return h;
}
