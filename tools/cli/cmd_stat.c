// SPDX-License-Identifier: MIT
/*
 * shmbox stat NAME: layout and live statistics of one region.
 *
 * The region is read through a read-only mapping only (cli_view_read): the
 * tool never attaches, so it changes nothing in the region and is not
 * counted among its processes. A region made by another config is shown
 * with the layout it records. Counters are read without the region's
 * locks: a snapshot, exact when the region is quiet.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <shmbox/owner.h>

#include "cli.h"

static const char stat_help[] =
    "usage: shmbox stat NAME [-j|--json] [-w|--watch SECONDS]\n"
    "\n"
    "Show a region's layout (as recorded in its header: pools, mailboxes,\n"
    "process table size, fingerprint) and its live statistics (slots used and\n"
    "peak per pool; messages queued, peak, sent and received per mailbox;\n"
    "attached processes; lock recoveries).\n"
    "\n"
    "NAME is a region name, sysv:NAME or sysv:0xKEY as 'shmbox ls' shows a SysV\n"
    "segment, or /PATH@OFFSET, a device region (in a file or device at that\n"
    "offset).\n"
    "The region is read through a read-only mapping: stat does not attach, so it\n"
    "changes nothing and is not counted among the attached processes. Counters\n"
    "are read without taking the region's locks (exact when the region is quiet).\n"
    "A region made by a build with a different config is shown too, with the\n"
    "layout read from its header and the config values that differ.\n"
    "\n"
    "  -j, --json            print one JSON object (one line) instead of the table\n"
    "  -w, --watch SECONDS   refresh every SECONDS (1..86400) until interrupted\n"
    "  -h, --help            this help\n"
    "\n"
    "Exit status: 0 ok, 2 bad arguments or region name, 3 no such region,\n"
    "4 permission denied, 8 not a shmbox region (or being initialised, or corrupt),\n"
    "1 standard output cannot be written.\n";

struct stat_out {
    const struct cli_region *r;
    const struct cli_view *v;
    const char *why_none;     /* why there are no counters */
    uint32_t attached, recoveries;
};

static void print_json(const struct stat_out *o)
{
    const struct cli_view *v = o->v;
    cli_json_field("{", "name", o->r->label);
    cli_json_field(", ", "port", cli_port_name(o->r->port));
    printf(", \"size\": %llu, \"mode\": \"%04o\", \"uid\": %u, \"layout_version\": %u, \"fingerprint\": "
           "\"0x%016llx\", \"same_layout\": %s",
           (unsigned long long)o->r->size, (unsigned)o->r->mode, (unsigned)o->r->uid, (unsigned)v->layout_version,
           (unsigned long long)v->fingerprint, v->same_layout ? "true" : "false");
    cli_json_field(", ", "source", "header");
    fputs(", ", stdout);
    printf("\"config\": {\"page_size\": %u, \"pool_count\": %u, \"mbox_count\": %u, \"mbox_depth\": %u, "
           "\"msg_size\": %u, \"max_procs\": %u}, ",
           v->cfg.page_size, v->cfg.pool_count, v->cfg.mbox_count, v->cfg.mbox_depth, v->cfg.msg_size,
           v->cfg.max_procs);
    printf("\"creator\": {\"pid\": %u, \"alive\": %s}, \"pool_count\": %u, \"mbox_count\": %u, "
           "\"attached\": %u, \"recoveries\": %u, \"counters\": %s, \"pools\": [",
           (unsigned)v->creator_pid, v->creator_alive ? "true" : "false", v->cfg.pool_count, v->cfg.mbox_count,
           o->attached, o->recoveries, v->have_counters ? "true" : "false");
    for (uint32_t p = 0; p < v->cfg.pool_count; p++)
        printf("%s{\"slot_size\": %u, \"slot_count\": %u, \"used\": %u, \"peak\": %u}", p ? ", " : "",
               v->pool[p].slot_size, v->pool[p].slot_count, v->pool[p].used, v->pool[p].peak);
    printf("], \"mailboxes\": [");
    for (uint32_t m = 0; m < v->nmbox; m++)
        printf("%s{\"depth\": %u, \"msg_size\": %u, \"count\": %u, \"peak\": %u, \"sent\": %llu, "
               "\"received\": %llu}",
               m ? ", " : "", v->mbox[m].depth, v->mbox[m].msg_size, v->mbox[m].count, v->mbox[m].peak,
               (unsigned long long)v->mbox[m].sent, (unsigned long long)v->mbox[m].received);
    printf("], \"processes\": [");
    for (uint32_t i = 0; i < v->nprocs; i++)
        printf("%s{\"pid\": %u, \"firmware\": %u, \"alive\": %s}", i ? ", " : "", v->pids[i],
               (unsigned)SHMBOX_PROC_FW_ID(v->pids[i]), v->alive[i] ? "true" : "false");
    printf("]}\n");
}

/* The creator is among the live attached processes (it may have closed
 * its handle: then it counts for nothing, as for the library). */
static int creator_attached(const struct cli_view *v)
{
    for (uint32_t i = 0; i < v->nprocs; i++)
        if (v->pids[i] == v->creator_pid && v->alive[i])
            return 1;
    return 0;
}

static void print_table(const struct stat_out *o)
{
    const struct cli_view *v = o->v;
    char diff[1024];
    printf("region %s: %s, %llu bytes, mode %04o, uid %u\n", o->r->label, cli_port_name(o->r->port),
           (unsigned long long)o->r->size, (unsigned)o->r->mode, (unsigned)o->r->uid);
    printf("  layout      version %u, fingerprint 0x%016llx, ", (unsigned)v->layout_version,
           (unsigned long long)v->fingerprint);
    if (v->same_layout) {
        printf("same as this build\n");
    } else {
        cli_view_diff(v, diff, sizeof(diff));
        printf("differs from this build:\n              ");
        for (const char *c = diff; *c != '\0'; c++) /* one value per line */
            if (c[0] == ';' && c[1] == ' ')
                printf("\n              "), c++;
            else
                putchar(*c);
        putchar('\n');
    }
    printf("  config      page %u, %u pools, %u mailboxes x %u messages x %u bytes, %u process entries\n",
           v->cfg.page_size, v->cfg.pool_count, v->cfg.mbox_count, v->cfg.mbox_depth, v->cfg.msg_size,
           v->cfg.max_procs);
    if (shmbox_proc_is_firmware(v->creator_pid))
        printf("  creator     firmware %u\n", (unsigned)SHMBOX_PROC_FW_ID(v->creator_pid));
    else
        printf("  creator     pid %u (%s)\n", (unsigned)v->creator_pid,
               !v->creator_alive ? "dead" : creator_attached(v) ? "alive" : "alive, not attached");
    printf("  processes   %u attached", (unsigned)o->attached);
    if (v->nprocs > o->attached)
        printf(", %u dead entr%s", (unsigned)(v->nprocs - o->attached), v->nprocs - o->attached == 1 ? "y" : "ies");
    printf(v->nprocs > 0 ? ":" : "");
    for (uint32_t i = 0; i < v->nprocs; i++)
        if (shmbox_proc_is_firmware(v->pids[i]))
            printf(" firmware %u", (unsigned)SHMBOX_PROC_FW_ID(v->pids[i]));
        else
            printf(" %u%s", v->pids[i], v->alive[i] ? "" : " (dead)");
    printf("\n  recoveries  %u\n", (unsigned)o->recoveries);
    if (v->have_counters)
        printf("  counters    read without locks (a snapshot; exact when the region is quiet)\n");
    else
        printf("  counters    not available (%s)\n", o->why_none);
    printf("\n  %-4s %10s %8s %8s %8s\n", "pool", "slot size", "slots", "used", "peak");
    for (uint32_t p = 0; p < v->cfg.pool_count; p++)
        printf("  %-4u %10u %8u %8u %8u\n", (unsigned)p, v->pool[p].slot_size, v->pool[p].slot_count,
               v->pool[p].used, v->pool[p].peak);
    printf("\n  %-4s %6s %8s %6s %6s %12s %12s\n", "mbox", "depth", "msg size", "count", "peak", "sent", "received");
    for (uint32_t m = 0; m < v->nmbox; m++)
        printf("  %-4u %6u %8u %6u %6u %12llu %12llu\n", (unsigned)m, v->mbox[m].depth, v->mbox[m].msg_size,
               v->mbox[m].count, v->mbox[m].peak, (unsigned long long)v->mbox[m].sent,
               (unsigned long long)v->mbox[m].received);
}

static int stat_once(const char *name, int json)
{
    static struct cli_region r;
    static struct cli_view v;
    int code = cli_region_look(name, &r, &v);
    if (code != CLI_OK)
        return code;
    if (v.err < 0) {
        cli_region_unmap(&r);
        return cli_error(r.label, v.err, v.detail);
    }
    struct stat_out o = {&r, &v, "", v.attached, v.recoveries};
    if (!v.have_counters)
        o.why_none = v.layout_version != SHMBOX_LAYOUT_VERSION ? "layout version unknown to this build"
                                                               : "the recorded size does not match the layout";
    if (json)
        print_json(&o);
    else
        print_table(&o);
    (void)cli_stdout_error(); /* flushes; the error is kept for cli_finish() */
    cli_region_unmap(&r);
    return CLI_OK;
}

int cli_cmd_stat(int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
                                         {"watch", required_argument, NULL, 'w'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int json = 0, c;
    uint32_t watch = 0;
    while ((c = cli_getopt(argc, argv, "jw:h", opts)) != -1) {
        switch (c) {
        case 'j':
            json = 1;
            break;
        case 'w':
            if (cli_parse_u32(optarg, 86400u, &watch) < 0 || watch == 0)
                return cli_usage_error("--watch needs a number of seconds (1..86400), not '%s'", optarg);
            break;
        case 'h':
            fputs(stat_help, stdout);
            return CLI_OK;
        default:
            return CLI_EUSAGE;
        }
    }
    if (optind >= argc)
        return cli_usage_error("missing region name");
    if (argc - optind > 1)
        return cli_usage_error("one region name only ('%s')", argv[optind + 1]);
    const char *name = argv[optind];
    int clear = watch != 0 && !json && isatty(STDOUT_FILENO);
    for (;;) {
        if (clear)
            printf("\033[H\033[J");
        int rc = stat_once(name, json);
        if (rc != CLI_OK || watch == 0 || cli_stdout_error() != 0)
            return rc; /* a failed output: cli_finish() reports it */
        if (!json)
            printf("\n(every %u s; Ctrl-C to stop)\n", (unsigned)watch);
        (void)cli_stdout_error(); /* flushes; the error is kept for cli_finish() */
        sleep(watch);
    }
}
