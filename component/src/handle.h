// SPDX-License-Identifier: MIT
/* The mark of an open handle, the same for the full and the minimal core. */
#ifndef SHMBOX_HANDLE_H
#define SHMBOX_HANDLE_H

#include <shmbox/shmbox.h>

#define SHMBOX_OPEN_MAGIC 0x5348424fu /* shmbox_t.open_magic while open */

/* 1 if @p sb is an open handle. */
static inline int sbx_is_open(const shmbox_t *sb)
{
    return sb != NULL && sb->open_magic == SHMBOX_OPEN_MAGIC && sb->base != NULL;
}

#endif /* SHMBOX_HANDLE_H */
