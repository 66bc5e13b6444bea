// SPDX-License-Identifier: MIT
/*
 * For tools (Linux ports): where a region of a name lives in each Linux
 * port, and whether a process recorded in a region's table is still the
 * same one.
 */
#include <string.h>

#include <shmbox/owner.h>
#include <shmbox/port.h>
#include <shmbox/shmbox.h>

int shmbox_region_locator(const char *name, struct shmbox_locator *loc)
{
    if (name == NULL || loc == NULL || !shmbox_name_valid(name))
        return -EINVAL;
    size_t n = 0;
    while (name[n] != '\0')
        n++;
    memset(loc, 0, sizeof(*loc));
    memcpy(loc->posix_object, SHMBOX_POSIX_PREFIX, sizeof(SHMBOX_POSIX_PREFIX) - 1u);
    memcpy(loc->posix_object + sizeof(SHMBOX_POSIX_PREFIX) - 1u, name, n + 1u);
    uint32_t h = 0x811c9dc5u; /* FNV-1a 32 */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)name[i];
        h *= 0x01000193u;
    }
#ifdef CONFIG_SHMBOX_SYSV_KEY_BASE
    uint32_t k = (uint32_t)CONFIG_SHMBOX_SYSV_KEY_BASE ^ h;
#else
    uint32_t k = (uint32_t)SHMBOX_SYSV_KEY_BASE_DEFAULT ^ h;
#endif
    loc->sysv_key = (int32_t)(k == 0u ? 1u : k); /* never IPC_PRIVATE */
#if defined(CONFIG_SHMBOX_PORT_SYSV)
    loc->port = SHMBOX_PORT_ID_SYSV;
#else
    loc->port = SHMBOX_PORT_ID_POSIX;
#endif
    return 0;
}

int shmbox_proc_alive(uint32_t pid, uint64_t token)
{
    if (shmbox_proc_is_firmware(pid))
        return 1; /* Linux cannot tell a firmware that runs from one that stopped */
    return pid != 0 && token != 0 && shmbox_port_proc_token(pid) == token;
}
