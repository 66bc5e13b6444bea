/* shmbox send / recv: one message through a mailbox, for scripts and debugging. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char send_help[] =
    "usage: shmbox send NAME MBOX TEXT [--timeout MS]\n"
    "\n"
    "Queue TEXT (its bytes, without a terminating NUL) in mailbox MBOX of region\n"
    "NAME. The region must have this build's layout (the same config).\n"
    "\n"
    "  --timeout MS   wait at most MS milliseconds while the mailbox is full\n"
    "                 (0: do not wait); default: wait as long as it takes\n"
    "\n"
    "Exit status: 0 sent, 2 bad arguments, region name or mailbox number, 3 no\n"
    "such region, 4 permission denied, 5 the region has a different layout,\n"
    "6 the mailbox stayed full, 8 not a shmbox region, 1 other failure (e.g.\n"
    "TEXT longer than the mailbox's message size).\n";

static const char recv_help[] =
    "usage: shmbox recv NAME MBOX [--timeout MS]\n"
    "\n"
    "Take the oldest message of mailbox MBOX of region NAME and write it to\n"
    "standard output followed by a newline. A slot (zero-copy message) is\n"
    "written the same way (its payload) and then freed. The region must have\n"
    "this build's layout (the same config).\n"
    "\n"
    "  --timeout MS   wait at most MS milliseconds while the mailbox is empty\n"
    "                 (0: do not wait); default: wait as long as it takes\n"
    "\n"
    "Exit status: 0 received, 2 bad arguments, region name or mailbox number,\n"
    "3 no such region, 4 permission denied, 5 the region has a different\n"
    "layout, 6 nothing arrived in time, 8 not a shmbox region, 1 other failure.\n";

struct msg_args {
    const char *name;
    const char *mbox_arg;
    const char *text;
    unsigned mbox;
    int32_t timeout;
};

/* Parse NAME MBOX [TEXT] [--timeout MS]; wanted = number of positionals. */
static int parse(int argc, char **argv, int wanted, struct msg_args *a)
{
    const char *pos[3] = {NULL, NULL, NULL};
    int n = 0;
    a->timeout = SHMBOX_FOREVER;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--timeout") == 0) {
            uint32_t ms;
            if (i + 1 >= argc || cli_parse_u32(argv[i + 1], (uint32_t)INT32_MAX, &ms) < 0)
                return cli_usage_error("%s: --timeout needs a number of milliseconds", argv[0]);
            a->timeout = (int32_t)ms;
            i++;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0' && n < 2) {
            return cli_usage_error("%s: unknown option '%s'", argv[0], argv[i]);
        } else if (n < wanted) {
            pos[n++] = argv[i];
        } else {
            return cli_usage_error("%s: unexpected argument '%s'", argv[0], argv[i]);
        }
    }
    if (n < wanted)
        return cli_usage_error("%s: missing %s", argv[0], n == 0 ? "region name" : n == 1 ? "mailbox number" : "text");
    a->name = pos[0];
    a->mbox_arg = pos[1];
    a->text = pos[2];
    if (!cli_name_valid(a->name))
        return cli_bad_name(a->name);
    uint32_t mbox;
    if (cli_parse_u32(a->mbox_arg, 255u, &mbox) < 0)
        return cli_usage_error("%s: bad mailbox number '%s' (0..255)", argv[0], a->mbox_arg);
    a->mbox = mbox;
    return CLI_OK;
}

/* Attach; on failure print the error (with the API's detail) and return the exit code. */
static int attach(shmbox_t *sb, const struct msg_args *a)
{
    int rc = shmbox_open(sb, a->name, 1000);
    if (rc == -ENOENT) {
        struct cli_region r;
        if (cli_region_find(a->name, &r) == 0 && r.port != cli_own_port())
            return cli_error(a->name, rc,
                             cli_own_port() == CLI_PORT_POSIX ? "only a SysV region of that name exists; this tool "
                                                                "uses the POSIX port"
                                                              : "only a POSIX region of that name exists; this tool "
                                                                "uses the SysV port");
    }
    if (rc < 0)
        return cli_error(a->name, rc, shmbox_error_detail(sb));
    if (a->mbox >= SHMBOX_MBOX_COUNT) {
        (void)shmbox_close(sb);
        fprintf(stderr, "%s: region \"%s\": no mailbox %u (it has %u: 0..%u)\n", cli_cmd, a->name, a->mbox,
                (unsigned)SHMBOX_MBOX_COUNT, (unsigned)SHMBOX_MBOX_COUNT - 1u);
        return CLI_EUSAGE;
    }
    return CLI_OK;
}

int cli_cmd_send(int argc, char **argv)
{
    static shmbox_t sb;
    struct msg_args a;
    if (cli_wants_help(argc, argv)) {
        fputs(send_help, stdout);
        return CLI_OK;
    }
    int code = parse(argc, argv, 3, &a);
    if (code == CLI_OK)
        code = attach(&sb, &a);
    if (code != CLI_OK)
        return code;
    size_t len = strlen(a.text);
    int rc = shmbox_send(&sb, a.mbox, a.text, len, a.timeout);
    (void)shmbox_close(&sb);
    if (rc == -EMSGSIZE) {
        char detail[80];
        snprintf(detail, sizeof(detail), "%zu bytes; mailbox messages are at most %u", len,
                 (unsigned)SHMBOX_MSG_SIZE);
        return cli_error(a.name, rc, detail);
    }
    return rc < 0 ? cli_error(a.name, rc, rc == -EAGAIN || rc == -ETIMEDOUT ? "mailbox full" : NULL) : CLI_OK;
}

int cli_cmd_recv(int argc, char **argv)
{
    static shmbox_t sb;
    static unsigned char buf[SHMBOX_MSG_SIZE];
    struct msg_args a;
    if (cli_wants_help(argc, argv)) {
        fputs(recv_help, stdout);
        return CLI_OK;
    }
    int code = parse(argc, argv, 2, &a);
    if (code == CLI_OK)
        code = attach(&sb, &a);
    if (code != CLI_OK)
        return code;
    int rc = shmbox_recv(&sb, a.mbox, buf, sizeof(buf), a.timeout);
    if (rc >= 0) {
        fwrite(buf, 1, (size_t)rc, stdout);
        putchar('\n');
        rc = 0;
    } else if (rc == -ENOMSG) {
        shmbox_slot_t slot;
        size_t len = 0;
        rc = shmbox_recv_slot(&sb, a.mbox, &slot, &len, SHMBOX_NO_WAIT);
        if (rc == 0) {
            const void *p = shmbox_slot_ptr(&sb, slot);
            if (p != NULL)
                fwrite(p, 1, len, stdout);
            putchar('\n');
            (void)shmbox_slot_free(&sb, slot);
        }
    }
    (void)shmbox_close(&sb);
    fflush(stdout);
    return rc < 0 ? cli_error(a.name, rc, rc == -EAGAIN || rc == -ETIMEDOUT ? "mailbox empty" : NULL) : CLI_OK;
}
