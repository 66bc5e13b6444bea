// SPDX-License-Identifier: MIT
/* The open region's layout in the handle (shmbox_t.lay): see handle_layout.c. */
#ifndef SHMBOX_HANDLE_LAYOUT_H
#define SHMBOX_HANDLE_LAYOUT_H

#include <string.h>

#include "access.h"
#include "fork.h"

/* Fill sb->lay from @p rec, a record the region format accepted (this
 * build's at create, the header's copy at open); @p foreign: 1 if it is
 * not this build's (shmbox_open_any). */
void sbx_lay_fill(shmbox_t *sb, const struct shmbox_cfg_rec *rec, int foreign);

#endif /* SHMBOX_HANDLE_LAYOUT_H */
