// SPDX-License-Identifier: MIT
/*
 * shmbox suggest NAME [--headroom PCT]: a Kconfig fragment sized to what a
 * running region has used.
 *
 * The region's header and counters are read through a read-only mapping
 * (cli_view_read: any config, no attach, nothing in the region changes).
 * Sizing rules, with h = the headroom in percent (default 25):
 *   pool n slot count  ceil(peak_n * (100 + h) / 100), at least 1
 *   mailbox depth      the next power of two >= ceil(max peak * (100 + h) / 100),
 *                      at least 2 (one depth for every mailbox)
 *   process table      ceil(entries * (100 + h) / 100), at least 1, where
 *                      entries are the table's entries in use now (live or
 *                      dead: no peak of the table is recorded)
 * Slot sizes, the number of pools and mailboxes and the message size are
 * kept: peaks say how many, not how big. The fragment names every layout
 * value, so merged over any defconfig of the same port it gives this
 * layout.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char suggest_help[] =
    "usage: shmbox suggest [-H PCT] NAME\n"
    "\n"
    "Print a Kconfig fragment sized to the peaks a running region recorded:\n"
    "each pool's slot count from its peak of used slots, the mailbox depth from\n"
    "the highest mailbox peak (rounded up to a power of two), the process table\n"
    "from its entries in use, each raised by PCT percent of headroom (default 25,\n"
    "0..1000). Slot sizes, pool and mailbox counts and the message size are kept.\n"
    "Merge the fragment over the defconfig (-DSHMBOX_CONFIG_FRAGMENTS=FILE).\n"
    "Peaks exist only when the region's builds keep statistics (CONFIG_SHMBOX_STATS).\n"
    "\n"
    "NAME is a region name, or sysv:NAME or sysv:0xKEY as 'shmbox ls' shows a\n"
    "SysV segment.\n"
    "\n"
    "  -H, --headroom PCT   headroom in percent (default 25)\n"
    "  -h, --help           this help\n"
    "\n"
    "Exit status: 0 ok, 1 no peaks recorded (nothing used yet, or statistics off),\n"
    "or standard output cannot be written, 2 bad arguments or region name, 3 no\n"
    "such region, 4 permission denied, 8 not a shmbox region (or being\n"
    "initialised, or corrupt).\n";

#define DEFAULT_HEADROOM 25u
#define MAX_HEADROOM 1000u

/* Non-negative decimal <= max: 0, or -EINVAL. */
static int parse_pct(const char *s, uint32_t *out)
{
    uint32_t v = 0;
    if (*s == '\0')
        return -EINVAL;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9')
            return -EINVAL;
        v = v * 10u + (uint32_t)(*s - '0');
        if (v > MAX_HEADROOM)
            return -EINVAL;
    }
    *out = v;
    return 0;
}

/* ceil(n * (100 + pct) / 100), at least lo. */
static uint64_t with_headroom(uint64_t n, uint32_t pct, uint64_t lo)
{
    uint64_t v = (n * (100u + pct) + 99u) / 100u;
    return v < lo ? lo : v;
}

static uint64_t pow2_up(uint64_t v)
{
    uint64_t p = 1;
    while (p < v)
        p <<= 1;
    return p;
}

static void print_fragment(const char *name, const struct cli_view *v, uint32_t pct)
{
    const struct shmbox_cfg_rec *c = &v->cfg;
    printf("# shmbox suggest: sized from the peaks of region \"%s\" with %u%% headroom.\n", name, (unsigned)pct);
    printf("# Merge over the defconfig: -DSHMBOX_CONFIG_FRAGMENTS=<this file>.\n");
    printf("CONFIG_SHMBOX_PAGE_SIZE=%u\n", (unsigned)c->page_size);
    printf("CONFIG_SHMBOX_POOL_COUNT=%u\n", (unsigned)c->pool_count);
    for (uint32_t p = 0; p < c->pool_count; p++) {
        uint64_t n = with_headroom(v->pool[p].peak, pct, 1); /* may exceed today's count: headroom */
        if (n > 1048575u)
            n = 1048575u;
        printf("# pool %u: peak %u of %u slots of %u bytes\n", (unsigned)p, (unsigned)v->pool[p].peak,
               (unsigned)c->slot_count[p], (unsigned)c->slot_size[p]);
        printf("CONFIG_SHMBOX_POOL%u_SLOT_SIZE=%u\n", (unsigned)p, (unsigned)c->slot_size[p]);
        printf("CONFIG_SHMBOX_POOL%u_SLOT_COUNT=%llu\n", (unsigned)p, (unsigned long long)n);
    }
    uint32_t peak = 0, at = 0;
    for (uint32_t m = 0; m < v->nmbox; m++)
        if (v->mbox[m].peak > peak) {
            peak = v->mbox[m].peak;
            at = m;
        }
    uint64_t depth = pow2_up(with_headroom(peak, pct, 2));
    if (depth > 65536u)
        depth = 65536u;
    printf("# mailboxes: highest peak %u of %u messages (mailbox %u)\n", (unsigned)peak, (unsigned)c->mbox_depth,
           (unsigned)at);
    printf("CONFIG_SHMBOX_MBOX_COUNT=%u\n", (unsigned)c->mbox_count);
    printf("CONFIG_SHMBOX_MBOX_DEPTH=%llu\n", (unsigned long long)depth);
    printf("CONFIG_SHMBOX_MSG_SIZE=%u\n", (unsigned)c->msg_size);
    uint64_t procs = with_headroom(v->nprocs, pct, 1);
    if (procs > 1024u)
        procs = 1024u;
    printf("# processes: process table entries in use now: %u (%u live) of %u\n", (unsigned)v->nprocs,
           (unsigned)v->attached, (unsigned)c->max_procs);
    printf("CONFIG_SHMBOX_MAX_PROCS=%llu\n", (unsigned long long)procs);
}

int cli_cmd_suggest(int argc, char **argv)
{
    static const struct option opts[] = {
        {"headroom", required_argument, NULL, 'H'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    uint32_t pct = DEFAULT_HEADROOM;
    int c;
    while ((c = cli_getopt(argc, argv, "H:h", opts)) != -1) {
        if (c == 'h') {
            fputs(suggest_help, stdout);
            return CLI_OK;
        }
        if (c != 'H')
            return CLI_EUSAGE;
        if (parse_pct(optarg, &pct) < 0)
            return cli_usage_error("--headroom '%s': a whole percentage 0..%u", optarg, MAX_HEADROOM);
    }
    if (optind >= argc)
        return cli_usage_error("missing region name");
    if (argc - optind > 1)
        return cli_usage_error("unexpected argument '%s'", argv[optind + 1]);
    const char *name = argv[optind];
    static struct cli_region r;
    static struct cli_view v;
    int code = cli_region_look(name, &r, &v);
    if (code != CLI_OK)
        return code;
    cli_region_unmap(&r);
    if (v.err < 0)
        return cli_error(name, v.err, v.detail);
    if (!v.have_counters)
        return cli_error(name, -EPROTO, "its layout version is unknown to this build: no counters to read");
    uint32_t any = 0;
    for (uint32_t p = 0; p < v.cfg.pool_count; p++)
        any |= v.pool[p].peak;
    for (uint32_t m = 0; m < v.nmbox; m++)
        any |= v.mbox[m].peak;
    if (any == 0)
        return cli_region_msg(CLI_EFAIL, name,
                              "no peaks recorded (nothing used yet, or its builds keep no statistics: "
                              "CONFIG_SHMBOX_STATS)");
    print_fragment(r.label, &v, pct);
    return CLI_OK;
}
