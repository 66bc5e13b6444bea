// SPDX-License-Identifier: MIT
/* The one deadline type (deadline.h): the clock read of a lazy deadline. */
#include "deadline.h"

uint64_t sbx_deadline_start(struct sbx_deadline *d)
{
    d->at = shmbox_port_now_ns() + SHMBOX_MS_NS(d->timeout_ms);
    return d->at;
}
