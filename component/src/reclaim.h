// SPDX-License-Identifier: MIT
/* Reclaim (reclaim.c): the slots of processes that died attached. */
#ifndef SHMBOX_RECLAIM_H
#define SHMBOX_RECLAIM_H

#include <shmbox/shmbox.h>

#include "deadline.h"

/* Free the slots of dead processes (see shmbox_reclaim), and ownerless
 * ones, keeping to @p d; with @p if_died only when an attached process
 * died (the scan of every slot is skipped otherwise). The number freed,
 * or lock errors. */
int sbx_reclaim_dead(shmbox_t *sb, struct sbx_deadline *d, int if_died);

#endif /* SHMBOX_RECLAIM_H */
