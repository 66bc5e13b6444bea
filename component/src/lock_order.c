// SPDX-License-Identifier: MIT
/* The per-thread record of held lock classes (debug builds, lock_order.h). */
#include "lock_order.h"

#if SHMBOX_LOCK_ORDER_CHECK
SHMBOX_LOCK_ORDER_TLS uint32_t sbx_lock_held;

void sbx_lock_order_violated(uint32_t held, enum sbx_lock_class c)
{
    /* Kept for the debugger: which classes were held, which was wanted. */
    volatile uint32_t held_classes = held;
    volatile unsigned wanted = (unsigned)c;
    (void)held_classes;
    (void)wanted;
    __builtin_trap();
}
#else
/* ISO C wants a translation unit to declare something. */
typedef int sbx_lock_order_unused;
#endif
