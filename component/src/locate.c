// SPDX-License-Identifier: MIT
/*
 * For tools (Linux ports): where a region of a name lives in each Linux
 * port (whether a process recorded in a region's table is still the same
 * one: proc.c, the rule the library itself applies).
 */
#include <string.h>

#include <shmbox/owner.h>
#include <shmbox/port.h>
#include <shmbox/shmbox.h>

int shmbox_region_locator(const char *name, struct shmbox_locator *loc)
{
    if (name == NULL || loc == NULL || !shmbox_name_valid(name))
        return -EINVAL;
    memset(loc, 0, sizeof(*loc));
    (void)shmbox_format_posix_object(name, loc->posix_object, sizeof(loc->posix_object));
    loc->sysv_key = shmbox_format_sysv_key(name, SHMBOX_PORT_SYSV_KEY_BASE);
#if defined(CONFIG_SHMBOX_PORT_SYSV)
    loc->port = SHMBOX_PORT_ID_SYSV;
#else
    loc->port = SHMBOX_PORT_ID_POSIX;
#endif
    return 0;
}
