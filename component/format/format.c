// SPDX-License-Identifier: MIT
/*
 * The region format's computations: the offsets of a region of a
 * configuration record, its fingerprint (the checks: format_check.c). Pure C11: no operating
 * system, no heap, no C library beyond the compiler's own headers.
 */
#include <shmbox/shmbox_format.h>

/* The compact variant (<shmbox/format_compact.h>): control, then payload. */
static void compact_layout(const struct shmbox_cfg_rec *rec, uint32_t page, struct shmbox_format_layout *lay)
{
    uint64_t slots = 0, data = 0;
    for (unsigned n = 0; n < SHMBOX_MAX_POOLS; n++) {
        lay->pool_off[n] = SHMBOX_FMT_C_POOL_OFF(n, slots);
        lay->pool_bytes[n] = (uint64_t)rec->slot_size[n] * rec->slot_count[n];
        slots += rec->slot_count[n];
    }
    lay->hdr_size = sizeof(struct shmbox_chdr);
    lay->hdr_bytes = sizeof(struct shmbox_chdr);
    lay->mbox_off = SHMBOX_FMT_C_MBOX_OFF(rec->pool_count, slots);
    lay->mbox_stride = sizeof(struct shmbox_cmbox);
    data = SHMBOX_FMT_C_DATA_OFF(page, rec->pool_count, slots, rec->mbox_count);
    for (unsigned n = 0; n < SHMBOX_MAX_POOLS; n++) {
        lay->pool_data_off[n] = data - lay->pool_off[n];
        data += lay->pool_bytes[n];
    }
    lay->ring_off = data;
    lay->entry_size = SHMBOX_FMT_ENTRY_SIZE(rec->msg_size);
    lay->region_size =
        SHMBOX_FMT_C_REGION(page, data + (uint64_t)rec->mbox_count * SHMBOX_FMT_C_RING_BYTES(rec->mbox_depth, rec->msg_size));
}

void shmbox_format_layout(const struct shmbox_cfg_rec *rec, struct shmbox_format_layout *lay)
{
    uint32_t page = rec->page_size != 0 ? rec->page_size : 1u;
    if (rec->variant == SHMBOX_VARIANT_COMPACT) {
        compact_layout(rec, page, lay);
        return;
    }
    lay->ring_off = 0;
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
    /* A variant other than the classic one is hashed after the rest: the
     * classic layout's fingerprints are those of every earlier release. */
    for (unsigned i = 0; rec->variant != 0 && i < 4u; i++) {
        h ^= (uint8_t)(rec->variant >> (8u * i));
        h *= 0x100000001b3ull;
    }
    return h;
}
