// SPDX-License-Identifier: MIT
/*
 * shmbox peek NAME [MBOX]: the messages queued in a region's mailboxes,
 * shown without taking them.
 *
 * The region is read through a read-only mapping, without the region's
 * locks: nothing in it changes and the tool is not attached. The ring of
 * each mailbox is read from head to tail; an entry a receiver took while
 * it was being read (head moved past it) is dropped, and so is everything
 * after it. Every value read is bounds-checked: lengths against the
 * message and slot sizes, slot handles against the pools, offsets against
 * the mapping.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char peek_help[] =
    "usage: shmbox peek NAME [MBOX] [-j|--json] [-n|--max COUNT]\n"
    "\n"
    "Show the messages queued in every mailbox of region NAME (or only in\n"
    "mailbox MBOX), oldest first, without taking them: each one's length, kind\n"
    "(copied message or zero-copy slot) and bytes as a hex dump with the\n"
    "printable ones, then as escaped text. NAME is a region name, sysv:NAME,\n"
    "sysv:0xKEY or /PATH@OFFSET (a device region).\n"
    "The region is read through a read-only mapping: peek does not attach and\n"
    "leaves the queues as they are. A message taken by a receiver while peek\n"
    "reads it is left out. The region must have this build's layout version\n"
    "(any config).\n"
    "\n"
    "  -n, --max COUNT   at most COUNT messages per mailbox (default: all)\n"
    "  -j, --json        one JSON object: per mailbox its count and messages\n"
    "                    (len, kind, slot, hex)\n"
    "  -h, --help        this help\n"
    "\n"
    "Exit status: 0 ok, 2 bad arguments, region name or mailbox number, 3 no\n"
    "such region, 4 permission denied, 5 a layout version this build cannot\n"
    "read, 8 not a shmbox region (or corrupt), 1 standard output cannot be\n"
    "written.\n";

struct peek_msg {
    uint32_t len, slot;
    const unsigned char *data; /* in the mapping, len bytes, bounds-checked */
};

static uint32_t rd32(const struct cli_region *r, uint64_t off)
{
    return *(const volatile uint32_t *)(const volatile void *)(r->base + off);
}

/* Where message pos of mailbox m is and how long: 0, or -EBADMSG. */
static int locate(const struct cli_region *r, const struct cli_view *v, const struct shmbox_format_layout *l, uint64_t ctl,
                  uint32_t pos, struct peek_msg *msg)
{
    uint64_t e = ctl + SHMBOX_FMT_MBOX_RING_OFF + (uint64_t)(pos & (v->cfg.mbox_depth - 1u)) * l->entry_size;
    msg->len = rd32(r, e + offsetof(struct shmbox_mbox_entry, len));
    msg->slot = rd32(r, e + offsetof(struct shmbox_mbox_entry, slot));
    if (msg->slot == SHMBOX_SLOT_NONE) {
        if (msg->len > v->cfg.msg_size)
            return -EBADMSG;
        msg->data = r->base + e + offsetof(struct shmbox_mbox_entry, data);
        return 0;
    }
    uint32_t pool = SHMBOX_H_POOL(msg->slot), idx = (msg->slot & SHMBOX_H_INDEX_MASK) - 1u;
    if (pool >= v->cfg.pool_count || idx >= v->cfg.slot_count[pool] || msg->len > v->cfg.slot_size[pool])
        return -EBADMSG;
    uint64_t at = l->pool_off[pool] + l->pool_data_off[pool] + (uint64_t)idx * v->cfg.slot_size[pool];
    if (at + msg->len > r->mapped)
        return -EBADMSG;
    msg->data = r->base + at;
    return 0;
}

static void show(const struct peek_msg *m, unsigned n, int json)
{
    if (json) {
        printf("%s{\"len\": %u", n ? ", " : "", m->len);
        cli_json_field(", ", "kind", m->slot == SHMBOX_SLOT_NONE ? "copy" : "slot");
        printf(", \"slot\": %u, \"hex\": \"", m->slot);
        for (uint32_t i = 0; i < m->len; i++)
            printf("%02x", (unsigned)m->data[i]);
        printf("\"}");
        return;
    }
    if (m->slot == SHMBOX_SLOT_NONE)
        printf("  [%u] %u bytes, copied\n", n, m->len);
    else
        printf("  [%u] %u bytes, slot 0x%08x (pool %u)\n", n, m->len, m->slot, (unsigned)SHMBOX_H_POOL(m->slot));
    cli_dump(m->data, m->len, CLI_DUMP_HEX, 4);
    fputs("    text: ", stdout);
    cli_dump(m->data, m->len, CLI_DUMP_TEXT, 0);
}

static void peek_mbox(const struct cli_region *r, const struct cli_view *v, const struct shmbox_format_layout *l, uint32_t m,
                      uint32_t max, int json, int first)
{
    uint64_t ctl = l->mbox_off + (uint64_t)m * l->mbox_stride;
    uint32_t head = rd32(r, ctl + offsetof(struct shmbox_mbox_ctl, head));
    uint32_t tail = rd32(r, ctl + offsetof(struct shmbox_mbox_ctl, tail));
    uint32_t count = tail - head;
    int corrupt = count > v->cfg.mbox_depth;
    if (json)
        printf("%s{\"mbox\": %u, \"count\": %u, \"corrupt\": %s, \"messages\": [", first ? "" : ", ", m,
               corrupt ? 0u : count, corrupt ? "true" : "false");
    else
        printf("mailbox %u: %u queued (depth %u)%s\n", m, corrupt ? 0u : count, v->cfg.mbox_depth,
               corrupt ? ", head and tail corrupt" : "");
    unsigned shown = 0;
    for (uint32_t i = 0; !corrupt && i < count && i < max; i++) {
        static unsigned char copy[SHMBOX_FMT_MSG_MAX];
        struct peek_msg msg;
        int rc = locate(r, v, l, ctl, head + i, &msg);
        if (rc == 0 && msg.slot == SHMBOX_SLOT_NONE) {
            memcpy(copy, msg.data, msg.len); /* a stable copy of a ring entry */
            msg.data = copy;
        }
        uint32_t now = rd32(r, ctl + offsetof(struct shmbox_mbox_ctl, head));
        if (now - head > i) {
            if (!json)
                printf("  (the rest was taken while reading)\n");
            break;
        }
        if (rc < 0) {
            if (!json)
                printf("  [%u] corrupt entry (length %u, slot 0x%08x)\n", (unsigned)i, msg.len, msg.slot);
            break;
        }
        show(&msg, shown++, json);
    }
    if (json)
        printf("]}");
    else if (!corrupt && count > max)
        printf("  (%u more)\n", count - max);
}

int cli_cmd_peek(int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
                                         {"max", required_argument, NULL, 'n'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    static struct cli_region r;
    static struct cli_view v;
    int json = 0, c, one = 0;
    uint32_t max = UINT32_MAX, mbox = 0;
    while ((c = cli_getopt(argc, argv, "jn:h", opts)) != -1) {
        switch (c) {
        case 'j': json = 1; break;
        case 'n':
            if (cli_parse_u32(optarg, 65536u, &max) < 0)
                return cli_usage_error("--max needs a number of messages (0..65536), not '%s'", optarg);
            break;
        case 'h': fputs(peek_help, stdout); return CLI_OK;
        default: return CLI_EUSAGE;
        }
    }
    if (optind >= argc)
        return cli_usage_error("missing region name");
    if (argc - optind > 2)
        return cli_usage_error("unexpected argument '%s'", argv[optind + 2]);
    if (argc - optind == 2) {
        if (cli_parse_u32(argv[optind + 1], 255u, &mbox) < 0)
            return cli_usage_error("bad mailbox number '%s' (0..255)", argv[optind + 1]);
        one = 1;
    }
    const char *name = argv[optind];
    int code = cli_region_look(name, &r, &v);
    if (code != CLI_OK)
        return code;
    if (v.err < 0)
        code = cli_error(r.label, v.err, v.detail);
    else if (!v.have_counters)
        code = cli_region_msg(CLI_EPROTO, r.label, "layout version %u, this tool reads version %u",
                              (unsigned)v.layout_version, (unsigned)SHMBOX_LAYOUT_VERSION);
    else if (one && mbox >= v.cfg.mbox_count)
        code = cli_region_msg(CLI_EUSAGE, r.label, "no mailbox %u (it has %u: 0..%u)", (unsigned)mbox,
                              (unsigned)v.cfg.mbox_count, (unsigned)v.cfg.mbox_count - 1u);
    if (code == CLI_OK) {
        struct shmbox_format_layout l;
        shmbox_format_layout(&v.cfg, &l);
        if (json) {
            cli_json_field("{", "name", r.label);
            printf(", \"mailboxes\": [");
        }
        for (uint32_t m = one ? mbox : 0; m < (one ? mbox + 1u : v.cfg.mbox_count); m++)
            peek_mbox(&r, &v, &l, m, max, json, m == (one ? mbox : 0));
        if (json)
            printf("]}\n");
        (void)cli_stdout_error(); /* flushes; the error is kept for cli_finish() */
    }
    cli_region_unmap(&r);
    return code;
}
