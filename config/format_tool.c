// SPDX-License-Identifier: MIT
/*
 * The configure step's view of the region format: built for the host at
 * configure time from component/format (the one definition of the
 * layout), it checks a configuration's layout values against the format's
 * rules and computes the region size. config/kconfig_check.py runs it and
 * blames each problem on the line that set the value.
 *
 * Usage: format_tool NAME=VALUE...
 *   NAME: page_size pool_count mbox_count mbox_depth msg_size max_procs
 *         variant slot_size0..7 slot_count0..7 region_max_mb
 * Prints one line per problem, "error SYMBOL RULE TEXT" (SYMBOL: the
 * Kconfig symbol without CONFIG_, RULE: range pow2 multiple order absent
 * size), then "region_bytes N" and "fingerprint 0xHEX" (the layout's). Exit status 0 (valid), 1 (problems), 2
 * (bad command line).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <shmbox/shmbox_format.h>

static const char *const rules[] = {
    [SHMBOX_FMT_R_RANGE] = "range", [SHMBOX_FMT_R_POW2] = "pow2",     [SHMBOX_FMT_R_MULTIPLE] = "multiple",
    [SHMBOX_FMT_R_ORDER] = "order", [SHMBOX_FMT_R_ABSENT] = "absent",
};

static int set(struct shmbox_cfg_rec *r, uint32_t *max_mb, const char *name, uint32_t v)
{
    static const struct {
        const char *name;
        size_t off;
    } fields[] = {
        {"page_size", offsetof(struct shmbox_cfg_rec, page_size)},
        {"pool_count", offsetof(struct shmbox_cfg_rec, pool_count)},
        {"mbox_count", offsetof(struct shmbox_cfg_rec, mbox_count)},
        {"mbox_depth", offsetof(struct shmbox_cfg_rec, mbox_depth)},
        {"msg_size", offsetof(struct shmbox_cfg_rec, msg_size)},
        {"max_procs", offsetof(struct shmbox_cfg_rec, max_procs)},
        {"variant", offsetof(struct shmbox_cfg_rec, variant)},
    };
    unsigned n;
    char tail;
    if (strcmp(name, "region_max_mb") == 0) {
        *max_mb = v;
        return 0;
    }
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        if (strcmp(name, fields[i].name) == 0) {
            memcpy((unsigned char *)r + fields[i].off, &v, sizeof(v));
            return 0;
        }
    if (sscanf(name, "slot_size%u%c", &n, &tail) == 1 && n < SHMBOX_MAX_POOLS) {
        r->slot_size[n] = v;
        return 0;
    }
    if (sscanf(name, "slot_count%u%c", &n, &tail) == 1 && n < SHMBOX_MAX_POOLS) {
        r->slot_count[n] = v;
        return 0;
    }
    return -1;
}

int main(int argc, char **argv)
{
    struct shmbox_cfg_rec rec;
    uint32_t max_mb = 0;
    memset(&rec, 0, sizeof(rec));
    rec.layout_version = SHMBOX_LAYOUT_VERSION;
    for (int i = 1; i < argc; i++) {
        char name[32];
        char *eq = strchr(argv[i], '=');
        char *end;
        unsigned long v = eq != NULL ? strtoul(eq + 1, &end, 0) : 0;
        if (eq == NULL || (size_t)(eq - argv[i]) >= sizeof(name) || *end != '\0' || end == eq + 1 ||
            v > UINT32_MAX) {
            fprintf(stderr, "format_tool: bad argument '%s'\n", argv[i]);
            return 2;
        }
        memcpy(name, argv[i], (size_t)(eq - argv[i]));
        name[eq - argv[i]] = '\0';
        if (set(&rec, &max_mb, name, (uint32_t)v) < 0) {
            fprintf(stderr, "format_tool: unknown value '%s'\n", name);
            return 2;
        }
    }
    /* Absent pools: the configuration has no values for them. */
    for (uint32_t n = rec.pool_count; n < SHMBOX_MAX_POOLS; n++)
        rec.slot_size[n] = rec.slot_count[n] = 0;

    struct shmbox_format_problem p[4 * SHMBOX_MAX_POOLS + 16];
    unsigned np = shmbox_format_check(&rec, SHMBOX_FMT_PAGE_MIN, p, sizeof(p) / sizeof(p[0]));
    for (unsigned i = 0; i < np && i < sizeof(p) / sizeof(p[0]); i++) {
        char sym[48], text[200];
        shmbox_format_field_name(p[i].field, p[i].pool, sym, sizeof(sym));
        shmbox_format_problem_text(&p[i], text, sizeof(text));
        printf("error %s %s %s\n", strncmp(sym, "CONFIG_", 7) == 0 ? sym + 7 : sym, rules[p[i].rule], text);
    }
    if (np != 0)
        return 1;
    struct shmbox_format_layout lay;
    shmbox_format_layout(&rec, &lay);
    if (max_mb != 0 && lay.region_size > (uint64_t)max_mb * 1024u * 1024u) {
        /* Say which part is big: the pools, or the mailboxes. */
        uint64_t pools = 0, mboxes = (uint64_t)rec.mbox_count * lay.mbox_stride;
        for (uint32_t n = 0; n < SHMBOX_MAX_POOLS; n++)
            pools += lay.pool_bytes[n];
        const char *pool_fix = "SHMBOX_POOL<n>_SLOT_COUNT/SLOT_SIZE (the pools)";
        const char *mbox_fix = "SHMBOX_MBOX_COUNT/MBOX_DEPTH/MSG_SIZE (the mailboxes)";
        printf("error SHMBOX_REGION_MAX_MB size the layout needs %llu bytes, over CONFIG_SHMBOX_REGION_MAX_MB=%u MiB "
               "(pools %llu bytes, mailboxes %llu bytes, header %llu bytes): lower %s, or %s\n",
               (unsigned long long)lay.region_size, (unsigned)max_mb, (unsigned long long)pools,
               (unsigned long long)mboxes, (unsigned long long)lay.hdr_bytes, mboxes > pools ? mbox_fix : pool_fix,
               mboxes > pools ? pool_fix : mbox_fix);
        return 1;
    }
    printf("region_bytes %llu\n", (unsigned long long)lay.region_size);
    printf("fingerprint 0x%016llx\n", (unsigned long long)shmbox_format_fingerprint(&rec));
    return 0;
}
