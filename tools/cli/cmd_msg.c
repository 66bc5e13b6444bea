// SPDX-License-Identifier: MIT
/* shmbox send / recv: one message through a mailbox, for scripts and debugging. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char send_help[] =
    "usage: shmbox send NAME MBOX TEXT [-t|--timeout MS]\n"
    "\n"
    "Queue TEXT (its bytes, without a terminating NUL) in mailbox MBOX of region\n"
    "NAME (a name, sysv:NAME or sysv:0xKEY), whatever configuration built it. A\n"
    "TEXT that starts with '-' goes after '--'.\n"
    "\n"
    "  -t, --timeout MS   wait at most MS milliseconds while the mailbox is full\n"
    "                     (0: do not wait); default: wait as long as it takes\n"
    "  -h, --help         this help\n"
    "\n"
    "Exit status: 0 sent, 2 bad arguments, region name or mailbox number, 3 no\n"
    "such region, 4 permission denied, 5 the region's layout is unknown to\n"
    "this tool, 6 the mailbox stayed full, 8 not a shmbox region, 1 other\n"
    "failure (e.g. TEXT longer than the region's message size, or standard\n"
    "output that cannot be written).\n";

static const char recv_help[] =
    "usage: shmbox recv NAME MBOX [-t|--timeout MS] [-x|--hex | -e|--escape | -r|--raw]\n"
    "\n"
    "Take the oldest message of mailbox MBOX of region NAME (a name, sysv:NAME\n"
    "or sysv:0xKEY) and write it to standard output. A slot (zero-copy message) is\n"
    "written the same way (its payload) and then freed. Any configuration's\n"
    "region will do.\n"
    "\n"
    "  -t, --timeout MS   wait at most MS milliseconds while the mailbox is empty\n"
    "                     (0: do not wait); default: wait as long as it takes\n"
    "  -x, --hex          a hex dump: offset, 16 bytes in hex, the printable ones\n"
    "  -e, --escape       escaped text: printable ASCII as is, \\n \\t \\\\ and \\xNN\n"
    "                     for the rest, then a newline (the default on a terminal)\n"
    "  -r, --raw          the bytes as they are, then a newline (the default when\n"
    "                     standard output is not a terminal)\n"
    "  -h, --help         this help\n"
    "\n"
    "Exit status: 0 received, 2 bad arguments, region name or mailbox number,\n"
    "3 no such region, 4 permission denied, 5 the region's layout is unknown\n"
    "to this tool, 6 nothing arrived in time, 8 not a shmbox region, 1 other\n"
    "failure, or standard output cannot be written: when it is not open for\n"
    "writing nothing is taken; when writing fails after the message was taken,\n"
    "the error names the mailbox and the length of what was lost.\n";

struct msg_args {
    const char *name;
    const char *text;
    unsigned mbox;
    int32_t timeout;
    enum cli_dump how;
};

/* Options, then NAME MBOX [TEXT]; wanted = number of operands. */
static int parse(int argc, char **argv, int wanted, const char *help, struct msg_args *a)
{
    static const struct option opts[] = {
        {"timeout", required_argument, NULL, 't'}, {"hex", no_argument, NULL, 'x'},
        {"escape", no_argument, NULL, 'e'},        {"raw", no_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    const char *shortopts = wanted == 3 ? "t:h" : "t:xerh";
    uint32_t ms;
    int c;
    a->timeout = SHMBOX_FOREVER;
    a->how = isatty(STDOUT_FILENO) ? CLI_DUMP_TEXT : CLI_DUMP_RAW;
    while ((c = cli_getopt(argc, argv, shortopts, opts)) != -1) {
        switch (c) {
        case 't':
            if (cli_parse_u32(optarg, (uint32_t)INT32_MAX, &ms) < 0)
                return cli_usage_error("--timeout needs a number of milliseconds, not '%s'", optarg);
            a->timeout = (int32_t)ms;
            break;
        case 'x': a->how = CLI_DUMP_HEX; break;
        case 'e': a->how = CLI_DUMP_TEXT; break;
        case 'r': a->how = CLI_DUMP_RAW; break;
        case 'h': fputs(help, stdout); return -1;
        default: return CLI_EUSAGE;
        }
    }
    int n = argc - optind;
    if (n < wanted)
        return cli_usage_error("missing %s", n == 0 ? "region name" : n == 1 ? "mailbox number" : "text");
    if (n > wanted)
        return cli_usage_error("unexpected argument '%s'", argv[optind + wanted]);
    a->name = argv[optind];
    a->text = wanted == 3 ? argv[optind + 2] : NULL;
    uint32_t mbox;
    if (cli_parse_u32(argv[optind + 1], 255u, &mbox) < 0)
        return cli_usage_error("bad mailbox number '%s' (0..255)", argv[optind + 1]);
    a->mbox = mbox;
    return CLI_OK;
}

/* Attach and check the mailbox number against the region's layout
 * (*lay); CLI_OK or the exit code (printed). */
static int attach(shmbox_t *sb, const struct msg_args *a, struct shmbox_cfg_rec *lay)
{
    int code = cli_attach(sb, a->name);
    if (code != CLI_OK)
        return code;
    int rc = shmbox_layout(sb, lay);
    if (rc < 0) {
        (void)shmbox_close(sb);
        return cli_error(a->name, rc, NULL);
    }
    if (a->mbox >= lay->mbox_count) {
        (void)shmbox_close(sb);
        return cli_region_msg(CLI_EUSAGE, a->name, "no mailbox %u (it has %u: 0..%u)", a->mbox,
                              (unsigned)lay->mbox_count, (unsigned)lay->mbox_count - 1u);
    }
    return CLI_OK;
}

int cli_cmd_send(int argc, char **argv)
{
    static shmbox_t sb;
    struct shmbox_cfg_rec lay;
    struct msg_args a;
    memset(&a, 0, sizeof(a));
    int code = parse(argc, argv, 3, send_help, &a);
    if (code < 0)
        return CLI_OK; /* --help */
    if (code == CLI_OK)
        code = attach(&sb, &a, &lay);
    if (code != CLI_OK)
        return code;
    size_t len = strlen(a.text);
    int rc = shmbox_send(&sb, a.mbox, a.text, len, a.timeout);
    (void)shmbox_close(&sb);
    if (rc == -EMSGSIZE) {
        char detail[80];
        snprintf(detail, sizeof(detail), "%zu bytes; mailbox messages are at most %u", len,
                 (unsigned)lay.msg_size);
        return cli_error(a.name, rc, detail);
    }
    return rc < 0 ? cli_error(a.name, rc, rc == -EAGAIN || rc == -ETIMEDOUT ? "mailbox full" : NULL) : CLI_OK;
}

/* Write what was taken to stdout: CLI_OK, or CLI_EFAIL saying what was lost. */
static int deliver(const struct msg_args *a, const void *p, size_t len, const char *what)
{
    cli_dump(p, len, a->how, 0);
    int err = cli_stdout_error();
    if (err == 0)
        return CLI_OK;
    char lost[128];
    snprintf(lost, sizeof(lost), "the %s taken from mailbox %u (%zu bytes) is lost", what, a->mbox, len);
    return cli_output_failed(a->name, err, lost);
}

int cli_cmd_recv(int argc, char **argv)
{
    static shmbox_t sb;
    static unsigned char buf[SHMBOX_FMT_MSG_MAX]; /* any region's message */
    struct shmbox_cfg_rec lay;
    struct msg_args a;
    memset(&a, 0, sizeof(a));
    int code = parse(argc, argv, 2, recv_help, &a);
    if (code < 0)
        return CLI_OK; /* --help */
    int out = cli_stdout_usable(); /* nothing is taken that cannot be written */
    if (code == CLI_OK && out < 0)
        code = cli_output_failed(a.name, out, "nothing taken");
    if (code == CLI_OK)
        code = attach(&sb, &a, &lay);
    if (code != CLI_OK)
        return code;
    int rc = shmbox_recv(&sb, a.mbox, buf, sizeof(buf), a.timeout);
    if (rc >= 0) {
        code = deliver(&a, buf, (size_t)rc, "message");
    } else if (rc == -ENOMSG) {
        shmbox_slot_t slot;
        size_t len = 0;
        rc = shmbox_recv_slot(&sb, a.mbox, &slot, &len, SHMBOX_NO_WAIT);
        if (rc == 0) {
            const void *p = shmbox_slot_ptr(&sb, slot);
            code = deliver(&a, p, p != NULL ? len : 0u, "slot's payload");
            (void)shmbox_slot_free(&sb, slot);
        }
    }
    (void)shmbox_close(&sb);
    if (rc < 0)
        return cli_error(a.name, rc, rc == -EAGAIN || rc == -ETIMEDOUT ? "mailbox empty" : NULL);
    return code;
}
