// SPDX-License-Identifier: MIT
/*
 * The shmbox tool opens a SysV segment known only by its key (sysv:0xKEY)
 * under a name the SysV port maps to that key (tools/cli/attach.c). Here:
 * for keys of every kind (random ones, 1, the key base, the extremes) the
 * name found is a valid region name whose key is that key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int main(void)
{
    int32_t keys[24] = {1, (int32_t)0x53420000, (int32_t)0xffffffffu, (int32_t)0x80000000u, 2, 0x7fffffff};
    unsigned n = 6, bad = 0;
    uint32_t x = 0x2545f491u;
    while (n < sizeof(keys) / sizeof(keys[0])) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        if (x != 0)
            keys[n++] = (int32_t)x;
    }
    for (unsigned i = 0; i < n; i++) {
        char name[SHMBOX_NAME_MAX + 1];
        int rc = cli_sysv_name_for_key(keys[i], name, sizeof(name));
        int ok = rc == 0 && cli_name_valid(name) && cli_sysv_key(name) == keys[i];
        printf("%s key 0x%08x -> %s\n", ok ? "ok  " : "FAIL", (unsigned)keys[i], rc == 0 ? name : "(none)");
        bad += !ok;
    }
    printf("%u passed, %u failed\n", n - bad, bad);
    return bad == 0 ? 0 : 1;
}
