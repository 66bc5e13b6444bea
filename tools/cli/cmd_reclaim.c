// SPDX-License-Identifier: MIT
/* shmbox reclaim NAME: free the slots of processes that died holding them. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

static const char reclaim_help[] =
    "usage: shmbox reclaim NAME\n"
    "\n"
    "Free every slot of region NAME (a name, sysv:NAME or sysv:0xKEY) owned by\n"
    "a process that has died or detached without freeing it (shmbox_reclaim()),\n"
    "and print how many were freed: \"reclaimed N slots\". Slots queued in\n"
    "mailboxes are never taken. The tool attaches for this (to a region of any\n"
    "config's layout); live processes' slots are left alone.\n"
    "\n"
    "  -h, --help   this help\n"
    "\n"
    "Exit status: 0 ok, 2 bad arguments or region name, 3 no such region,\n"
    "4 permission denied, 5 a layout this tool cannot use, 8 not a shmbox\n"
    "region, 1 other failure (or standard output cannot be written: the slots\n"
    "are freed all the same).\n";

int cli_cmd_reclaim(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    static shmbox_t sb;
    int c;
    while ((c = cli_getopt(argc, argv, "h", opts)) != -1) {
        if (c != 'h')
            return CLI_EUSAGE;
        fputs(reclaim_help, stdout);
        return CLI_OK;
    }
    if (optind >= argc)
        return cli_usage_error("missing region name");
    if (argc - optind > 1)
        return cli_usage_error("unexpected argument '%s'", argv[optind + 1]);
    const char *name = argv[optind];
    int code = cli_attach(&sb, name);
    if (code != CLI_OK)
        return code;
    int rc = shmbox_reclaim(&sb);
    (void)shmbox_close(&sb);
    if (rc < 0)
        return cli_error(name, rc, NULL);
    printf("reclaimed %d slot%s\n", rc, rc == 1 ? "" : "s");
    return CLI_OK;
}
