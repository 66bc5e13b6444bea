// SPDX-License-Identifier: MIT
/* shmbox rm: remove regions by name, or every stale one (like ipcrm). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char rm_help[] =
    "usage: shmbox rm [-f|--force] NAME...\n"
    "       shmbox rm -s|--stale [-f|--force] [-p|--prefix PREFIX]\n"
    "\n"
    "Remove regions. NAME is a region name, sysv:NAME or sysv:0xKEY as 'shmbox ls'\n"
    "shows a SysV segment, or /PATH@OFFSET: a device region, invalidated in place\n"
    "(the file stays). A region that live processes have attached is refused\n"
    "unless --force is given (a creator that has closed its handle is not\n"
    "attached); processes that have it open keep using it until they close it.\n"
    "An object that is not a shmbox region (no valid header) is refused too\n"
    "unless --force is given.\n"
    "\n"
    "  -s, --stale    remove every shmbox region proven stale: a valid shmbox\n"
    "                 header and no live process attached (its creator may be\n"
    "                 alive, having closed it), or a creator that died\n"
    "                 initialising it: the STATE 'stale' of 'shmbox ls', what\n"
    "                 shmbox_open_or_create() replaces; prints each one removed,\n"
    "                 and each object it keeps because it is not a shmbox region\n"
    "  -f, --force    remove live regions too, and objects that are not shmbox\n"
    "                 regions (with --stale: those no live process holds)\n"
    "  -p, --prefix PREFIX  with --stale: only regions whose name (for a SysV\n"
    "                 segment: NAME, sysv:NAME or sysv:0xKEY) starts with PREFIX\n"
    "  -h, --help     this help\n"
    "\n"
    "Exit status: 0 all removed, 2 bad arguments or region name, 3 no such\n"
    "region, 4 permission denied, 7 live processes attached (no --force),\n"
    "8 not a shmbox region (no --force), 1 other failure (or standard output\n"
    "cannot be written). With several names, the status of the first failure.\n";

static int remove_one(const char *name, int force)
{
    static struct cli_region r;
    static struct cli_view v;
    int rc = cli_region_find(name, &r);
    if (rc == -EINVAL)
        return cli_bad_name(name);
    if (rc < 0)
        return cli_error(name, rc, NULL);
    rc = cli_region_map(&r);
    if (rc == 0) {
        cli_view_read(&r, &v);
        cli_region_unmap(&r);
        uint32_t live = cli_view_live(&v);
        if (!v.shmbox && !force)
            return cli_region_msg(CLI_EBADMSG, r.label, "not a shmbox region (%s); use --force to remove it anyway",
                                  v.detail[0] != '\0' ? v.detail : "no valid header");
        if (v.shmbox && live > 0 && !force)
            return cli_region_msg(CLI_EBUSY, r.label, "%u live process%s attached (use --force to remove it anyway)",
                                  (unsigned)live, live == 1 ? "" : "es");
    } else if (rc == -EBADMSG && !force) {
        return cli_region_msg(CLI_EBADMSG, r.label, "not a shmbox region (empty); use --force to remove it anyway");
    } else if (rc != -EBADMSG && !force) {
        return cli_error(r.label, rc, "cannot read it to check for live processes");
    }
    rc = cli_region_remove(&r);
    return rc < 0 ? cli_error(r.label, rc, NULL) : CLI_OK;
}

struct stale_ctx {
    const char *prefix;
    int force;
    int status;
};

/* PREFIX starts the region's name, or the form ls shows it in (a SysV
 * segment: sysv:NAME, or sysv:0xKEY). */
static int prefix_match(const struct cli_region *r, const char *prefix)
{
    char key[16];
    size_t n = strlen(prefix);
    snprintf(key, sizeof(key), "sysv:0x%08x", (unsigned)r->key);
    return strncmp(r->label, prefix, n) == 0 || (r->name[0] != '\0' && strncmp(r->name, prefix, n) == 0) ||
           (r->port == CLI_PORT_SYSV && strncmp(key, prefix, n) == 0);
}

static int remove_stale(struct cli_region *r, void *arg)
{
    struct stale_ctx *ctx = arg;
    static struct cli_view v;
    int rc = cli_region_map(r);
    if (rc == 0) {
        cli_view_read(r, &v);
        cli_region_unmap(r);
        cli_region_named(r, &v);
    } else if (rc == -EBADMSG) {
        memset(&v, 0, sizeof(v)); /* an empty object */
    }
    if ((rc < 0 && rc != -EBADMSG) || !prefix_match(r, ctx->prefix))
        return 0; /* unreadable (nothing proven), or not asked for */
    int doomed = cli_view_stale(&v) || (ctx->force && !v.shmbox && v.attached == 0 && !v.creator_alive);
    if (!doomed) {
        if (!v.shmbox)
            printf("kept %s (%s): not a shmbox region (--force removes it)\n", r->label, cli_port_name(r->port));
        return 0;
    }
    rc = cli_region_remove(r);
    if (rc < 0) {
        int code = cli_error(r->label, rc, NULL);
        if (ctx->status == CLI_OK)
            ctx->status = code;
    } else {
        printf("removed %s (%s)\n", r->label, cli_port_name(r->port));
    }
    return 0;
}

int cli_cmd_rm(int argc, char **argv)
{
    static const struct option opts[] = {{"force", no_argument, NULL, 'f'},
                                         {"stale", no_argument, NULL, 's'},
                                         {"prefix", required_argument, NULL, 'p'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int force = 0, stale = 0, c;
    const char *prefix = NULL;
    while ((c = cli_getopt(argc, argv, "fsp:h", opts)) != -1) {
        switch (c) {
        case 'f': force = 1; break;
        case 's': stale = 1; break;
        case 'p': prefix = optarg; break;
        case 'h': fputs(rm_help, stdout); return CLI_OK;
        default: return CLI_EUSAGE;
        }
    }
    int names = argc - optind;
    if (stale && names > 0)
        return cli_usage_error("--stale takes no region names ('%s')", argv[optind]);
    if (prefix != NULL && !stale)
        return cli_usage_error("--prefix goes with --stale");
    if (!stale && names == 0)
        return cli_usage_error("missing region name (or --stale)");
    if (stale) {
        struct stale_ctx ctx = {prefix != NULL ? prefix : "", force, CLI_OK};
        (void)cli_region_scan(remove_stale, &ctx);
        return ctx.status;
    }
    int status = CLI_OK;
    for (int i = optind; i < argc; i++) {
        int rc = remove_one(argv[i], force);
        if (status == CLI_OK)
            status = rc;
    }
    return status;
}
