// SPDX-License-Identifier: MIT
/*
 * Attaching through the API, for the commands that change a region (send,
 * recv, reclaim). The API opens a region by name: sysv:NAME as NAME. A SysV
 * segment that 'shmbox ls' shows as sysv:0xKEY (an older region's header
 * records no name) is opened under a name the SysV port maps to that key:
 * its key is KEY_BASE ^ FNV-1a-32(name), and FNV-1a's steps are invertible,
 * so a meet-in-the-middle search over 3-character prefixes and suffixes
 * finds such a name at once (2^18 x 2^18 candidates against 2^32 keys:
 * about sixteen expected).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define FNV_BASIS SHMBOX_FMT_FNV32_BASIS /* shmbox_format_sysv_key()'s hash */
#define FNV_PRIME SHMBOX_FMT_FNV32_PRIME
static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
#define HALF 3u
#define NHALF (64u * 64u * 64u)

struct fwd {
    uint32_t h, idx;
};

static int by_hash(const void *a, const void *b)
{
    uint32_t x = ((const struct fwd *)a)->h, y = ((const struct fwd *)b)->h;
    return x < y ? -1 : x > y;
}

static void spell(uint32_t idx, char *out)
{
    for (unsigned i = 0; i < HALF; i++, idx >>= 6)
        out[i] = alphabet[idx & 63u];
}

int cli_sysv_name_for_key(int32_t key, char *name, size_t cap)
{
    uint32_t inv = FNV_PRIME; /* FNV_PRIME^-1 mod 2^32 by Newton's iteration */
    for (int i = 0; i < 5; i++)
        inv *= 2u - FNV_PRIME * inv;
    struct fwd *tab = malloc(NHALF * sizeof(*tab));
    if (tab == NULL || cap < 2u * HALF + 1u) {
        free(tab);
        return -ENOENT;
    }
    for (uint32_t idx = 0; idx < NHALF; idx++) {
        char s[HALF];
        uint32_t h = FNV_BASIS;
        spell(idx, s);
        for (unsigned i = 0; i < HALF; i++)
            h = (h ^ (unsigned char)s[i]) * FNV_PRIME;
        tab[idx].h = h;
        tab[idx].idx = idx;
    }
    qsort(tab, NHALF, sizeof(*tab), by_hash);
    int rc = -ENOENT;
    /* cli_sysv_key(): KEY_BASE ^ h, and a 0 key becomes 1; KEY_BASE is
     * the key of "a" XOR the hash of "a". */
    uint32_t base = (uint32_t)cli_sysv_key("a") ^ ((FNV_BASIS ^ (uint32_t)'a') * FNV_PRIME);
    for (uint32_t want = (uint32_t)key ^ base, tries = 0; tries < 2u && rc < 0; tries++) {
        for (uint32_t idx = 0; idx < NHALF && rc < 0; idx++) {
            char s[HALF];
            spell(idx, s);
            uint32_t h = want;
            for (unsigned i = HALF; i-- > 0;)
                h = (h * inv) ^ (unsigned char)s[i];
            struct fwd probe = {h, 0};
            const struct fwd *hit = bsearch(&probe, tab, NHALF, sizeof(*tab), by_hash);
            if (hit != NULL) {
                spell(hit->idx, name);
                memcpy(name + HALF, s, HALF);
                name[2u * HALF] = '\0';
                rc = cli_sysv_key(name) == key ? 0 : -ENOENT;
            }
        }
        if ((uint32_t)key != 1u)
            break;
        want = base; /* key 1 may also come from a hash that gave key 0 */
    }
    free(tab);
    return rc;
}

int cli_attach(shmbox_t *sb, const char *arg)
{
    static struct cli_region r;
    int found = cli_region_find(arg, &r);
    if (found == -EINVAL)
        return cli_bad_name(arg);
    char name[SHMBOX_NAME_MAX + 1];
    /* The API's name: sysv:NAME opens NAME; sysv:0xKEY a name of that key. */
    snprintf(name, sizeof(name), "%s", found == 0 && r.name[0] != '\0' ? r.name : arg);
    if (found < 0 && strncmp(arg, "sysv:", 5) == 0)
        return cli_error(arg, found, NULL);
#ifdef CONFIG_SHMBOX_DEVICE
    if (found == 0 && r.port == CLI_PORT_DEVICE) {
        int drc = shmbox_open(sb, arg, 1000);
        return drc < 0 ? cli_error(arg, drc, shmbox_error_detail(sb)) : CLI_OK;
    }
#endif
    if (found == 0 && r.port != cli_own_port())
        return cli_region_msg(CLI_ENOENT, arg, "no %s region of that name: it is a %s; this shmbox tool is built "
                              "for the %s port and attaches only to its regions",
                              cli_port_name(cli_own_port()),
                              r.port == CLI_PORT_SYSV    ? "SysV segment"
                              : r.port == CLI_PORT_DEVICE ? "device region (this build has no CONFIG_SHMBOX_DEVICE)"
                                                          : "POSIX object",
                              cli_port_name(cli_own_port()));
    if (found == 0 && r.name[0] == '\0' && cli_sysv_name_for_key(r.key, name, sizeof(name)) < 0)
        return cli_region_msg(CLI_EFAIL, arg, "no name found for this key");
    int rc = shmbox_open_any(sb, name, 1000); /* whatever layout the region has */
    if (rc < 0)
        return cli_error(arg, rc, shmbox_error_detail(sb));
    return CLI_OK;
}
