/*
 * shmbox stat NAME: layout and live statistics of one region.
 *
 * The header is always read through a read-only mapping (cli_view_read),
 * so a region made by another config is shown with the layout it records.
 * When the layout is this build's and the region lives in this build's
 * port, the tool attaches through the API and the numbers come from
 * shmbox_stat() (a locked snapshot; the tool itself is then one of the
 * attached processes). Otherwise the counters are read without locks.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char stat_help[] =
    "usage: shmbox stat NAME [--json] [--watch N]\n"
    "\n"
    "Show a region's layout (as recorded in its header: pools, mailboxes,\n"
    "process table size, fingerprint) and its live statistics (slots used and\n"
    "peak per pool; messages queued, peak, sent and received per mailbox;\n"
    "attached processes; lock recoveries).\n"
    "\n"
    "NAME is a region name, or sysv:0xKEY as 'shmbox ls' shows a SysV segment.\n"
    "A region made by a build with a different config is shown too: its layout\n"
    "is read from the header and its counters are read without locks. With the\n"
    "same layout the tool attaches and reports shmbox_stat(); it then counts\n"
    "itself among the attached processes.\n"
    "\n"
    "  --json      print one JSON object (one line) instead of the table\n"
    "  --watch N   refresh every N seconds until interrupted\n"
    "\n"
    "Exit status: 0 ok, 2 bad arguments or region name, 3 no such region,\n"
    "4 permission denied, 8 not a shmbox region (or being initialised, or corrupt).\n";

struct stat_out {
    const struct cli_region *r;
    const struct cli_view *v;
    int api;                  /* counters from shmbox_stat() */
    const char *why_header;   /* why not, when !api */
    uint32_t attached, recoveries;
};

static void print_json(const struct stat_out *o)
{
    const struct cli_view *v = o->v;
    printf("{\"name\": \"%s\", \"port\": \"%s\", \"size\": %llu, \"mode\": \"%04o\", \"uid\": %u, "
           "\"layout_version\": %u, \"fingerprint\": \"0x%016llx\", \"same_layout\": %s, \"source\": \"%s\", ",
           o->r->label, cli_port_name(o->r->port), (unsigned long long)o->r->size, (unsigned)o->r->mode,
           (unsigned)o->r->uid, (unsigned)v->layout_version, (unsigned long long)v->fingerprint,
           v->same_layout ? "true" : "false", o->api ? "api" : "header");
    printf("\"config\": {\"page_size\": %u, \"pool_count\": %u, \"mbox_count\": %u, \"mbox_depth\": %u, "
           "\"msg_size\": %u, \"max_procs\": %u}, ",
           v->cfg.page_size, v->cfg.pool_count, v->cfg.mbox_count, v->cfg.mbox_depth, v->cfg.msg_size,
           v->cfg.max_procs);
    printf("\"creator\": {\"pid\": %u, \"alive\": %s}, \"pool_count\": %u, \"mbox_count\": %u, "
           "\"attached\": %u, \"recoveries\": %u, \"counters\": %s, \"pools\": [",
           (unsigned)v->creator_pid, v->creator_alive ? "true" : "false", v->cfg.pool_count, v->cfg.mbox_count,
           o->attached, o->recoveries, v->have_counters || o->api ? "true" : "false");
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
        printf("%s{\"pid\": %u, \"alive\": %s}", i ? ", " : "", v->pids[i], v->alive[i] ? "true" : "false");
    printf("]}\n");
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
    printf("  creator     pid %u (%s)\n", (unsigned)v->creator_pid, v->creator_alive ? "alive" : "dead");
    printf("  processes   %u attached:", (unsigned)o->attached);
    uint32_t self = (uint32_t)getpid();
    for (uint32_t i = 0; i < v->nprocs; i++)
        printf(" %u%s", v->pids[i], !v->alive[i] ? " (dead)" : (o->api && v->pids[i] == self) ? " (this command)" : "");
    printf("\n  recoveries  %u\n", (unsigned)o->recoveries);
    if (o->api)
        printf("  counters    shmbox_stat() (locked snapshot)\n");
    else if (v->have_counters)
        printf("  counters    read without locks (%s)\n", o->why_header);
    else
        printf("  counters    not available (%s; layout version %u unknown to this build)\n", o->why_header,
               (unsigned)v->layout_version);
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

/* Attach through the API and take shmbox_stat(); 0 or a negative errno. */
static int api_stat(const struct cli_region *r, struct cli_view *v, struct stat_out *o)
{
    static shmbox_t sb;
    static struct shmbox_stat st;
    int rc = shmbox_open(&sb, r->name, 1000);
    if (rc < 0)
        return rc;
    rc = shmbox_stat(&sb, &st);
    if (rc == 0) {
        cli_view_read(r, v); /* the process table, now with this process in it */
        o->attached = st.attached;
        o->recoveries = st.recoveries;
        for (uint32_t p = 0; p < st.pool_count && p < SHMBOX_MAX_POOLS; p++) {
            v->pool[p].slot_size = st.pool[p].slot_size;
            v->pool[p].slot_count = st.pool[p].slot_count;
            v->pool[p].used = st.pool[p].used;
            v->pool[p].peak = st.pool[p].peak;
        }
        v->nmbox = st.mbox_count;
        for (uint32_t m = 0; m < st.mbox_count; m++) {
            v->mbox[m].depth = st.mbox[m].depth;
            v->mbox[m].msg_size = st.mbox[m].msg_size;
            v->mbox[m].count = st.mbox[m].count;
            v->mbox[m].peak = st.mbox[m].peak;
            v->mbox[m].sent = st.mbox[m].sent;
            v->mbox[m].received = st.mbox[m].received;
        }
    }
    (void)shmbox_close(&sb);
    return rc;
}

static int stat_once(const char *name, int json)
{
    static struct cli_region r;
    static struct cli_view v;
    int rc = cli_region_find(name, &r);
    if (rc == -EINVAL)
        return cli_bad_name(name);
    if (rc < 0)
        return cli_error(name, rc, NULL);
    rc = cli_region_map(&r);
    if (rc < 0)
        return cli_error(r.label, rc, rc == -EBADMSG ? "empty object" : NULL);
    cli_view_read(&r, &v);
    if (v.err < 0) {
        cli_region_unmap(&r);
        return cli_error(r.label, v.err, v.detail);
    }
    struct stat_out o = {&r, &v, 0, "", v.attached, v.recoveries};
    if (!v.same_layout) {
        o.why_header = "a different layout";
    } else if (r.port != cli_own_port()) {
        o.why_header = cli_own_port() == CLI_PORT_POSIX ? "a SysV region; this tool uses the POSIX port"
                                                        : "a POSIX region; this tool uses the SysV port";
    } else if (r.name[0] == '\0') {
        o.why_header = "found by key, not by name";
    } else {
        rc = api_stat(&r, &v, &o);
        o.api = rc == 0;
        if (rc == -EACCES)
            o.why_header = "no write permission to attach";
        else if (rc < 0)
            o.why_header = shmbox_strerror(rc);
    }
    if (json)
        print_json(&o);
    else
        print_table(&o);
    fflush(stdout);
    cli_region_unmap(&r);
    return CLI_OK;
}

int cli_cmd_stat(int argc, char **argv)
{
    const char *name = NULL;
    int json = 0;
    uint32_t watch = 0;
    if (cli_wants_help(argc, argv)) {
        fputs(stat_help, stdout);
        return CLI_OK;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[i], "--watch") == 0) {
            if (i + 1 >= argc || cli_parse_u32(argv[i + 1], 86400u, &watch) < 0 || watch == 0)
                return cli_usage_error("stat: --watch needs a number of seconds (1..86400)");
            i++;
        } else if (argv[i][0] == '-') {
            return cli_usage_error("stat: unknown option '%s'", argv[i]);
        } else if (name == NULL) {
            name = argv[i];
        } else {
            return cli_usage_error("stat: one region name only ('%s')", argv[i]);
        }
    }
    if (name == NULL)
        return cli_usage_error("stat: missing region name");
    int clear = watch != 0 && !json && isatty(STDOUT_FILENO);
    for (;;) {
        if (clear)
            printf("\033[H\033[J");
        int rc = stat_once(name, json);
        if (rc != CLI_OK || watch == 0)
            return rc;
        if (!json)
            printf("\n(every %u s; Ctrl-C to stop)\n", (unsigned)watch);
        fflush(stdout);
        sleep(watch);
    }
}
