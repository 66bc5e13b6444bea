// SPDX-License-Identifier: MIT
/* The compiled layout as tables, and this build's config record. */
#include "layout.h"

#include <shmbox/shmbox.h>

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
    static const struct shmbox_cfg_rec mine = SHMBOX_CFG_REC_INIT;
    memcpy(rec, &mine, sizeof(*rec));
}

void shmbox_config_record(struct shmbox_cfg_rec *rec)
{
    sbx_layout_cfg(rec);
}
