/* The compiled layout as tables, the config record and its fingerprint. */
#include "layout.h"

#include <string.h>

const uint32_t shmbox_layout_slot_size[SHMBOX_MAX_POOLS] = {
    SHMBOX_P_SIZE_0, SHMBOX_P_SIZE_1, SHMBOX_P_SIZE_2, SHMBOX_P_SIZE_3,
    SHMBOX_P_SIZE_4, SHMBOX_P_SIZE_5, SHMBOX_P_SIZE_6, SHMBOX_P_SIZE_7,
};

const uint32_t shmbox_layout_slot_count[SHMBOX_MAX_POOLS] = {
    SHMBOX_P_COUNT_0, SHMBOX_P_COUNT_1, SHMBOX_P_COUNT_2, SHMBOX_P_COUNT_3,
    SHMBOX_P_COUNT_4, SHMBOX_P_COUNT_5, SHMBOX_P_COUNT_6, SHMBOX_P_COUNT_7,
};

const uint64_t shmbox_layout_pool_off[SHMBOX_MAX_POOLS] = {
    SHMBOX_POOL_OFF_0, SHMBOX_POOL_OFF_1, SHMBOX_POOL_OFF_2, SHMBOX_POOL_OFF_3,
    SHMBOX_POOL_OFF_4, SHMBOX_POOL_OFF_5, SHMBOX_POOL_OFF_6, SHMBOX_POOL_OFF_7,
};

const uint64_t shmbox_layout_pool_data_off[SHMBOX_MAX_POOLS] = {
    SHMBOX_POOL_DATA_OFF(0), SHMBOX_POOL_DATA_OFF(1), SHMBOX_POOL_DATA_OFF(2), SHMBOX_POOL_DATA_OFF(3),
    SHMBOX_POOL_DATA_OFF(4), SHMBOX_POOL_DATA_OFF(5), SHMBOX_POOL_DATA_OFF(6), SHMBOX_POOL_DATA_OFF(7),
};

void shmbox_layout_cfg(struct shmbox_cfg_rec *rec)
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
        rec->slot_size[n] = shmbox_layout_slot_size[n];
        rec->slot_count[n] = shmbox_layout_slot_count[n];
    }
}

static uint64_t fnv1a_u32(uint64_t h, uint32_t v)
{
    /* Byte by byte, least significant first: the same on every endianness. */
    for (unsigned i = 0; i < 4; i++) {
        h ^= (uint8_t)(v >> (8u * i));
        h *= 0x100000001b3ull;
    }
    return h;
}

uint64_t shmbox_layout_fingerprint(const struct shmbox_cfg_rec *rec)
{
    uint64_t h = 0xcbf29ce484222325ull;
    h = fnv1a_u32(h, rec->layout_version);
    h = fnv1a_u32(h, rec->page_size);
    h = fnv1a_u32(h, rec->pool_count);
    h = fnv1a_u32(h, rec->mbox_count);
    h = fnv1a_u32(h, rec->mbox_depth);
    h = fnv1a_u32(h, rec->msg_size);
    h = fnv1a_u32(h, rec->max_procs);
    for (unsigned n = 0; n < SHMBOX_MAX_POOLS; n++) {
        h = fnv1a_u32(h, rec->slot_size[n]);
        h = fnv1a_u32(h, rec->slot_count[n]);
    }
    return h;
}
