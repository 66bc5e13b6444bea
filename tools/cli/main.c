/* shmbox: inspect and manage shmbox shared memory regions. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char main_help[] =
    "usage: shmbox COMMAND [ARGS]     (shmbox COMMAND --help for details)\n"
    "\n"
    "Inspect and manage shmbox shared memory regions, like ipcs/ipcrm.\n"
    "\n"
    "commands:\n"
    "  ls                             list every shmbox region (POSIX and SysV), stale\n"
    "                                 ones flagged\n"
    "  stat NAME [--json] [--watch N] layout and live statistics of a region\n"
    "  rm [--force] NAME...           remove regions (refuses live ones without --force)\n"
    "  rm --stale [--force] [--prefix P]   remove every region no live process has\n"
    "                                 attached (and whose creator is gone)\n"
    "  send NAME MBOX TEXT [--timeout MS]   queue a message in a mailbox\n"
    "  recv NAME MBOX [--timeout MS]        take a message and print it\n"
    "  suggest NAME [--headroom PCT]  a Kconfig fragment sized to the region's peaks\n"
    "\n"
    "NAME is a region name (1-31 characters of A-Z a-z 0-9 . _ -) or, for a SysV\n"
    "segment found by 'ls', sysv:0xKEY. 'ls', 'stat' and 'rm' read regions made\n"
    "by any config; 'send' and 'recv' need a region with this build's layout.\n"
    "\n"
    "exit status:\n"
    "  0  success\n"
    "  1  the operation failed (the message says why)\n"
    "  2  bad command line: unknown option, missing argument, invalid region name\n"
    "     or mailbox number\n"
    "  3  no such region\n"
    "  4  permission denied\n"
    "  5  the region was made by a build with a different layout (send, recv)\n"
    "  6  timed out: nothing to receive, or the mailbox stayed full\n"
    "  7  rm: live processes are attached (use --force)\n"
    "  8  not a shmbox region, being initialised, or its header is corrupt\n"
    "\n"
    "Errors are one line on standard error: shmbox CMD: region \"NAME\": REASON.\n";

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
};

static const struct command commands[] = {
    {"ls", cli_cmd_ls},     {"stat", cli_cmd_stat}, {"rm", cli_cmd_rm},
    {"send", cli_cmd_send}, {"recv", cli_cmd_recv},
    {"suggest", cli_cmd_suggest},
};

static uint64_t own_fingerprint(void)
{
    struct shmbox_cfg_rec rec;
    shmbox_layout_cfg(&rec);
    return shmbox_layout_fingerprint(&rec);
}

int main(int argc, char **argv)
{
    static char cmd[32];
    if (argc < 2) {
        fputs(main_help, stderr);
        return CLI_EUSAGE;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        fputs(main_help, stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("shmbox %s (%s port, layout version %u, fingerprint 0x%016llx)\n", SHMBOX_CLI_VERSION,
               cli_port_name(cli_own_port()), (unsigned)SHMBOX_LAYOUT_VERSION, (unsigned long long)own_fingerprint());
        return CLI_OK;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            snprintf(cmd, sizeof(cmd), "shmbox %s", commands[i].name);
            cli_cmd = cmd;
            return commands[i].run(argc - 1, argv + 1);
        }
    }
    return cli_usage_error("unknown command '%s'", argv[1]);
}
