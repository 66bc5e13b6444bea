// SPDX-License-Identifier: MIT
/* The compiled layout as tables, the config record and its fingerprint. */
#include "layout.h"

#include <string.h>

const uint32_t sbx_layout_slot_size[SHMBOX_MAX_POOLS] = {
    SHMBOX_P_SIZE_0, SHMBOX_P_SIZE_1, SHMBOX_P_SIZE_2, SHMBOX_P_SIZE_3,
    SHMBOX_P_SIZE_4, SHMBOX_P_SIZE_5, SHMBOX_P_SIZE_6, SHMBOX_P_SIZE_7,
};

const uint32_t sbx_layout_slot_count[SHMBOX_MAX_POOLS] = {
    SHMBOX_P_COUNT_0, SHMBOX_P_COUNT_1, SHMBOX_P_COUNT_2, SHMBOX_P_COUNT_3,
    SHMBOX_P_COUNT_4, SHMBOX_P_COUNT_5, SHMBOX_P_COUNT_6, SHMBOX_P_COUNT_7,
};

const uint64_t sbx_layout_pool_off[SHMBOX_MAX_POOLS] = {
    SHMBOX_POOL_OFF_0, SHMBOX_POOL_OFF_1, SHMBOX_POOL_OFF_2, SHMBOX_POOL_OFF_3,
    SHMBOX_POOL_OFF_4, SHMBOX_POOL_OFF_5, SHMBOX_POOL_OFF_6, SHMBOX_POOL_OFF_7,
};

const uint64_t sbx_layout_pool_data_off[SHMBOX_MAX_POOLS] = {
    SHMBOX_POOL_DATA_OFF(0), SHMBOX_POOL_DATA_OFF(1), SHMBOX_POOL_DATA_OFF(2), SHMBOX_POOL_DATA_OFF(3),
    SHMBOX_POOL_DATA_OFF(4), SHMBOX_POOL_DATA_OFF(5), SHMBOX_POOL_DATA_OFF(6), SHMBOX_POOL_DATA_OFF(7),
};

void sbx_layout_cfg(struct shmbox_cfg_rec *rec)
{
    memset(rec, 0, sizeof(*rec));
    rec->layout_version = SHMBOX_LAYOUT_VERSION;
    rec->page_size = CONFIG_SHMBOX_PAGE_SIZE;
    rec->pool_count = CONFIG_SHMBOX_POOL_COUNT;
    rec->mbox_count = CONFIG_SHMBOX_MBOX_COUNT;
    rec->mbox_depth = CONFIG_SHMBOX_MBOX_DEPTH;
    rec->msg_size = CONFIG_SHMBOX_MSG_SIZE;
    rec->max_procs = CONFIG_SHMBOX_MAX_PROCS;
    for (unsigned n = 0; n < SHMBOX_MAX_POOLS; n++) {
        rec->slot_size[n] = sbx_layout_slot_size[n];
        rec->slot_count[n] = sbx_layout_slot_count[n];
    }
}

uint64_t sbx_layout_fingerprint(const struct shmbox_cfg_rec *rec)
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
