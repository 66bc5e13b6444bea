/* shmbox rm: remove regions by name, or every stale one (like ipcrm). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char rm_help[] =
    "usage: shmbox rm [--force] NAME...\n"
    "       shmbox rm --stale [--force] [--prefix P]\n"
    "\n"
    "Remove regions. NAME is a region name, or sysv:0xKEY as 'shmbox ls' shows.\n"
    "A region that live processes have attached is refused unless --force is\n"
    "given; processes that have it open keep using it until they close it.\n"
    "\n"
    "  --stale   remove every region with no live process attached and no live\n"
    "            creator (the STATE 'stale' of 'shmbox ls'); prints each one\n"
    "  --force   remove live regions too; with --stale, also regions that are\n"
    "            not readable as shmbox regions (corrupt header)\n"
    "  --prefix P  with --stale: only regions whose name (or sysv:0xKEY) starts\n"
    "            with P\n"
    "\n"
    "Exit status: 0 all removed, 2 bad arguments or region name, 3 no such\n"
    "region, 4 permission denied, 7 live processes attached (no --force),\n"
    "1 other failure. With several names, the status of the first failure.\n";

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
        uint32_t live = v.attached + (v.attached == 0 && v.creator_alive ? 1u : 0u);
        if (live > 0 && !force) {
            fprintf(stderr, "%s: region \"%s\": %u live process%s attached (use --force to remove it anyway)\n",
                    cli_cmd, r.label, (unsigned)live, live == 1 ? "" : "es");
            return CLI_EBUSY;
        }
    } else if (!force && rc != -EBADMSG) {
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

static int remove_stale(struct cli_region *r, void *arg)
{
    struct stale_ctx *ctx = arg;
    static struct cli_view v;
    if (strncmp(r->label, ctx->prefix, strlen(ctx->prefix)) != 0 || cli_region_map(r) < 0)
        return 0;
    cli_view_read(r, &v);
    cli_region_unmap(r);
    int doomed = cli_view_stale(&v) || (ctx->force && v.err < 0 && v.attached == 0 && !v.creator_alive);
    if (!doomed)
        return 0;
    int rc = cli_region_remove(r);
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
    int force = 0, stale = 0, names = 0;
    const char *prefix = NULL;
    if (cli_wants_help(argc, argv)) {
        fputs(rm_help, stdout);
        return CLI_OK;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--force") == 0 || strcmp(argv[i], "-f") == 0)
            force = 1;
        else if (strcmp(argv[i], "--stale") == 0)
            stale = 1;
        else if (strcmp(argv[i], "--prefix") == 0 && i + 1 < argc)
            prefix = argv[++i];
        else if (argv[i][0] == '-')
            return cli_usage_error("rm: unknown option '%s'", argv[i]);
        else
            names++;
    }
    if (stale && names > 0)
        return cli_usage_error("rm: --stale takes no region names");
    if (prefix != NULL && !stale)
        return cli_usage_error("rm: --prefix goes with --stale");
    if (!stale && names == 0)
        return cli_usage_error("rm: missing region name (or --stale)");
    if (stale) {
        struct stale_ctx ctx = {prefix != NULL ? prefix : "", force, CLI_OK};
        (void)cli_region_scan(remove_stale, &ctx);
        return ctx.status;
    }
    int status = CLI_OK;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-')
            continue; /* only --force / -f remain here */
        int rc = remove_one(argv[i], force);
        if (status == CLI_OK)
            status = rc;
    }
    return status;
}
