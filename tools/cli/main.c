// SPDX-License-Identifier: MIT
/* shmbox: inspect and manage shmbox shared memory regions. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct command {
    const char *name;
    const char *synopsis; /* after "shmbox NAME " */
    const char *summary;
    int (*run)(int argc, char **argv);
};

/* The order of `shmbox --help` and of the man page's COMMANDS section. */
static const struct command commands[] = {
    {"ls", "[-j] [/PATH@OFFSET...]", "list every shmbox region (POSIX and SysV, and device regions named), sorted, stale ones flagged", cli_cmd_ls},
    {"stat", "NAME [-j] [-w SECONDS]", "layout and live statistics of a region (does not attach)", cli_cmd_stat},
    {"peek", "NAME [MBOX] [-j] [-n COUNT]", "show queued messages without taking them (hex and text)",
     cli_cmd_peek},
    {"send", "NAME MBOX TEXT [-t MS]", "queue a message in a mailbox", cli_cmd_send},
    {"recv", "NAME MBOX [-t MS] [-x|-e|-r]", "take the oldest message of a mailbox and print it", cli_cmd_recv},
    {"reclaim", "NAME", "free the slots of dead processes; print how many", cli_cmd_reclaim},
    {"rm", "[-f] NAME... | rm -s [-f] [-p PREFIX]", "remove regions, or every stale one", cli_cmd_rm},
    {"suggest", "NAME [-H PCT]", "a Kconfig fragment sized to the region's peaks (does not attach)",
     cli_cmd_suggest},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void help(FILE *f)
{
    fputs("usage: shmbox [-h] [-V] COMMAND [ARGS]\n"
          "\n"
          "Inspect and manage shmbox shared memory regions, like ipcs/ipcrm.\n"
          "'shmbox COMMAND --help' explains a command; 'man shmbox' has it all.\n"
          "\n"
          "commands:\n",
          f);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-8s %s\n  %-8s   %s\n", commands[i].name, commands[i].synopsis, "", commands[i].summary);
    fputs("\n"
          "options:\n"
          "  -h, --help     this help\n"
          "  -V, --version  version, port, layout version and fingerprint of this build\n"
          "\n"
          "NAME is a region name (1-31 characters of A-Z a-z 0-9 . _ -), sysv:NAME or\n"
          "sysv:0xKEY, the forms 'ls' shows a SysV segment in, or /PATH@OFFSET: a\n"
          "device region, in a file or device at an offset (/dev/mem@0x9f000000;\n"
          "docs/porting.md). ls, stat and peek read regions made by any config and\n"
          "never attach; send, recv and reclaim attach to a region of any config's\n"
          "layout, in this build's port.\n"
          "Options may be written -t 5, -t5, --timeout 5 or --timeout=5, before or after\n"
          "the operands ('--' ends the options).\n"
          "\n"
          "exit status:\n"
          "  0  success\n"
          "  1  the operation failed (the message says why), or its output could not\n"
          "     be written\n"
          "  2  bad command line: unknown option, missing argument, invalid region name\n"
          "     or mailbox number\n"
          "  3  no such region\n"
          "  4  permission denied\n"
          "  5  the region's header states a layout this tool cannot use (an unknown\n"
          "     layout version, or values the region format refuses)\n"
          "  6  timed out: nothing to receive, or the mailbox stayed full\n"
          "  7  rm: live processes are attached (use --force)\n"
          "  8  not a shmbox region, being initialised, or its header is corrupt\n"
          "\n"
          "Errors are one line on standard error: shmbox: COMMAND: MESSAGE.\n",
          f);
}

static uint64_t own_fingerprint(void)
{
    struct shmbox_cfg_rec rec;
    shmbox_config_record(&rec);
    return shmbox_format_fingerprint(&rec);
}

static int dispatch(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
                                         {"version", no_argument, NULL, 'V'},
                                         {NULL, 0, NULL, 0}};
    int c;
    /* '+': stop at the command name; its options are its own. */
    while ((c = cli_getopt(argc, argv, "+hV", opts)) != -1) {
        switch (c) {
        case 'h':
            help(stdout);
            return CLI_OK;
        case 'V':
            printf("shmbox %s (%s port, layout version %u, fingerprint 0x%016llx)\n", SHMBOX_CLI_VERSION,
                   cli_port_name(cli_own_port()), (unsigned)SHMBOX_LAYOUT_VERSION,
                   (unsigned long long)own_fingerprint());
            return CLI_OK;
        default:
            return CLI_EUSAGE;
        }
    }
    if (optind >= argc) {
        help(stderr);
        return CLI_EUSAGE;
    }
    const char *name = argv[optind];
    if (strcmp(name, "help") == 0) {
        help(stdout);
        return CLI_OK;
    }
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strcmp(name, commands[i].name) == 0) {
            cli_cmd = commands[i].name;
            return commands[i].run(argc - optind, argv + optind);
        }
    }
    return cli_usage_error("unknown command '%s'", name);
}

int main(int argc, char **argv)
{
    cli_stdout_guard();
    return cli_finish(dispatch(argc, argv));
}
