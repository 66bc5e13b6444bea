/* shmbox ls: every shmbox region on the system, stale ones flagged. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char ls_help[] =
    "usage: shmbox ls [--json]\n"
    "\n"
    "List every shmbox region on this system: POSIX objects (/dev/shm/shmbox.*)\n"
    "and SysV segments that carry the shmbox magic (shown as sysv:0xKEY), whatever\n"
    "port this tool was built for.\n"
    "\n"
    "Columns: NAME, PORT, SIZE (bytes), PROCS (live processes attached), CREATOR\n"
    "(pid, alive or dead), FINGERPRINT (layout fingerprint), LAYOUT (this: same\n"
    "layout as this build, other: a different config), STATE:\n"
    "  live       at least one live process is attached\n"
    "  stale      no live process attached and the creator is gone: 'shmbox rm --stale'\n"
    "  init       being initialised by its (live) creator\n"
    "  broken     not readable as a shmbox region (creator died while initialising,\n"
    "             corrupt header)\n"
    "  no-access  this user may not read it\n"
    "\n"
    "  --json   one JSON array of objects instead of the table\n"
    "\n"
    "Exit status: 0, or 2 for a bad option.\n";

struct ls_ctx {
    int json;
    unsigned count;
};

static const char *state_of(const struct cli_view *v, int map_err)
{
    if (map_err == -EACCES || map_err == -EPERM)
        return "no-access";
    if (map_err < 0)
        return "broken";
    if (v->err == 0)
        return v->attached > 0 ? "live" : "stale";
    if ((v->init_state == SHMBOX_INIT_INITIALIZING || v->init_state == SHMBOX_INIT_EMPTY) && v->creator_alive)
        return "init";
    return cli_view_stale(v) ? "stale" : "broken";
}

static int ls_one(struct cli_region *r, void *arg)
{
    struct ls_ctx *ctx = arg;
    static struct cli_view v;
    int rc = cli_region_map(r);
    if (rc == 0) {
        cli_view_read(r, &v);
        cli_region_unmap(r);
    } else {
        memset(&v, 0, sizeof(v));
    }
    const char *state = state_of(&v, rc);
    int known = rc == 0 && (v.err == 0 || v.creator_pid != 0);
    const char *layout = rc == 0 && v.err == 0 ? (v.same_layout ? "this" : "other") : "-";
    if (ctx->json) {
        printf("%s{\"name\": \"%s\", \"port\": \"%s\", \"size\": %llu, \"attached\": %u, "
               "\"creator_pid\": %u, \"creator_alive\": %s, \"fingerprint\": \"0x%016llx\", "
               "\"layout\": \"%s\", \"state\": \"%s\", \"stale\": %s}",
               ctx->count ? ",\n " : "", r->label, cli_port_name(r->port), (unsigned long long)r->size, v.attached,
               v.creator_pid, v.creator_alive ? "true" : "false", (unsigned long long)v.fingerprint, layout, state,
               strcmp(state, "stale") == 0 ? "true" : "false");
    } else {
        char creator[24] = "-", fp[24] = "-";
        if (known)
            snprintf(creator, sizeof(creator), "%u %s", (unsigned)v.creator_pid, v.creator_alive ? "alive" : "dead");
        if (rc == 0 && v.err == 0)
            snprintf(fp, sizeof(fp), "0x%016llx", (unsigned long long)v.fingerprint);
        char procs[12] = "-";
        if (rc == 0)
            snprintf(procs, sizeof(procs), "%u", (unsigned)v.attached);
        printf("%-31s %-5s %10llu %5s  %-12s %-18s %-6s %s\n", r->label, cli_port_name(r->port),
               (unsigned long long)r->size, procs, creator, fp, layout, state);
    }
    ctx->count++;
    return 0;
}

int cli_cmd_ls(int argc, char **argv)
{
    struct ls_ctx ctx = {0, 0};
    if (cli_wants_help(argc, argv)) {
        fputs(ls_help, stdout);
        return CLI_OK;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            ctx.json = 1;
        else
            return cli_usage_error("ls: unexpected argument '%s'", argv[i]);
    }
    if (ctx.json)
        printf("[");
    else
        printf("%-31s %-5s %10s %5s  %-12s %-18s %-6s %s\n", "NAME", "PORT", "SIZE", "PROCS", "CREATOR",
               "FINGERPRINT", "LAYOUT", "STATE");
    (void)cli_region_scan(ls_one, &ctx);
    if (ctx.json)
        printf("]\n");
    return CLI_OK;
}
