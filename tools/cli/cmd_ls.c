// SPDX-License-Identifier: MIT
/* shmbox ls: every shmbox region on the system, sorted, stale ones flagged. */
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <shmbox/owner.h>

#include "cli.h"

static const char ls_help[] =
    "usage: shmbox ls [-j|--json] [/PATH@OFFSET ...]\n"
    "\n"
    "List every shmbox region on this system, sorted by name: POSIX objects\n"
    "(/dev/shm/shmbox.*) and SysV segments that carry the shmbox magic (shown as\n"
    "sysv:NAME with the name their header records, or sysv:0xKEY for a segment of\n"
    "an older build), whatever port this tool was built for, and the device\n"
    "regions named as operands (a region in a file or device at an offset, e.g.\n"
    "/dev/mem@0x9f000000: nothing lists those). Regions are read through a\n"
    "read-only mapping: nothing is attached.\n"
    "\n"
    "Columns: NAME, PORT, OWNER (user), MODE (permission bits), SIZE (bytes),\n"
    "PROCS (live processes attached), CREATOR (pid, alive or dead), FINGERPRINT\n"
    "(layout fingerprint), LAYOUT (this: same layout as this build, other: a\n"
    "different config), STATE:\n"
    "  live       at least one live process is attached\n"
    "  stale      no live process attached (the creator too may be alive, having\n"
    "             closed it): 'shmbox rm --stale' removes it, shmbox_open_or_create()\n"
    "             replaces it\n"
    "  init       being initialised by its (live) creator\n"
    "  broken     not readable as a shmbox region (creator died while initialising,\n"
    "             corrupt header, not a shmbox region at all)\n"
    "  no-access  this user may not read it\n"
    "\n"
    "  -j, --json   one JSON array of objects instead of the table\n"
    "  -h, --help   this help\n"
    "\n"
    "Exit status: 0, 2 for a bad option or locator, 3 for a locator whose file\n"
    "does not exist (the other regions are listed all the same), 1 when standard\n"
    "output cannot be written.\n";

enum { COLS = 10 };

struct row {
    char col[COLS][CLI_LOCATOR_MAX];
    struct cli_region r;
    struct cli_view_summary {
        uint32_t attached, creator_pid;
        int creator_alive;
        uint64_t fingerprint;
    } s;
};

struct rows {
    struct row *v;
    size_t n, cap;
};

static const char *state_of(const struct cli_view *v, int map_err)
{
    if (map_err == -EACCES || map_err == -EPERM)
        return "no-access";
    if (map_err < 0)
        return "broken";
    if (v->err == 0)
        return v->attached > 0 ? "live" : "stale";
    if ((v->init_state == SHMBOX_INIT_INITIALIZING || v->init_state == SHMBOX_INIT_EMPTY) && v->creator_alive &&
        v->shmbox)
        return "init";
    return cli_view_stale(v) ? "stale" : "broken";
}

static void owner_of(uint32_t uid, char *buf, size_t cap)
{
    const struct passwd *pw = getpwuid((uid_t)uid);
    if (pw != NULL && strlen(pw->pw_name) < cap)
        snprintf(buf, cap, "%s", pw->pw_name);
    else
        snprintf(buf, cap, "%u", (unsigned)uid);
}

static int collect(struct cli_region *r, void *arg)
{
    struct rows *rows = arg;
    static struct cli_view v;
    if (rows->n == rows->cap) {
        size_t cap = rows->cap ? rows->cap * 2u : 16u;
        struct row *p = realloc(rows->v, cap * sizeof(*p));
        if (p == NULL)
            return -ENOMEM;
        rows->v = p;
        rows->cap = cap;
    }
    struct row *w = &rows->v[rows->n++];
    memset(w, 0, sizeof(*w));
    int rc = cli_region_map(r);
    if (rc == 0) {
        cli_view_read(r, &v);
        cli_region_unmap(r);
    } else {
        memset(&v, 0, sizeof(v));
    }
    w->s.attached = v.attached;
    w->s.creator_pid = v.creator_pid;
    w->s.creator_alive = v.creator_alive;
    w->s.fingerprint = v.fingerprint;
    char(*c)[CLI_LOCATOR_MAX] = w->col;
    if (rc == 0)
        cli_region_named(r, &v); /* sysv:NAME, which every command takes */
    w->r = *r;
    snprintf(c[0], sizeof(c[0]), "%s", r->label);
    snprintf(c[1], sizeof(c[1]), "%s", cli_port_name(r->port));
    owner_of(r->uid, c[2], sizeof(c[2]));
    snprintf(c[3], sizeof(c[3]), "%04o", (unsigned)r->mode);
    snprintf(c[4], sizeof(c[4]), "%llu", (unsigned long long)r->size);
    snprintf(c[5], sizeof(c[5]), rc == 0 ? "%u" : "-", (unsigned)v.attached);
    int known = rc == 0 && (v.err == 0 || (v.shmbox && v.creator_pid != 0));
    if (known && shmbox_proc_is_firmware(v.creator_pid))
        snprintf(c[6], sizeof(c[6]), "firmware %u", (unsigned)SHMBOX_PROC_FW_ID(v.creator_pid));
    else if (known)
        snprintf(c[6], sizeof(c[6]), "%u %s", (unsigned)v.creator_pid, v.creator_alive ? "alive" : "dead");
    else
        snprintf(c[6], sizeof(c[6]), "-");
    if (rc == 0 && v.err == 0)
        snprintf(c[7], sizeof(c[7]), "0x%016llx", (unsigned long long)v.fingerprint);
    else
        snprintf(c[7], sizeof(c[7]), "-");
    snprintf(c[8], sizeof(c[8]), "%s", rc == 0 && v.err == 0 ? (v.same_layout ? "this" : "other") : "-");
    snprintf(c[9], sizeof(c[9]), "%s", state_of(&v, rc));
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct row *)a)->col[0], ((const struct row *)b)->col[0]);
}

static void print_json(const struct rows *rows)
{
    printf("[");
    for (size_t i = 0; i < rows->n; i++) {
        const struct row *w = &rows->v[i];
        cli_json_field(i ? ",\n {" : "{", "name", w->col[0]);
        cli_json_field(", ", "port", w->col[1]);
        cli_json_field(", ", "owner", w->col[2]);
        printf(", \"uid\": %u", (unsigned)w->r.uid);
        cli_json_field(", ", "mode", w->col[3]);
        printf(", \"size\": %llu, \"attached\": %u, \"creator_pid\": %u, \"creator_alive\": %s, "
               "\"fingerprint\": \"0x%016llx\"",
               (unsigned long long)w->r.size, (unsigned)w->s.attached, (unsigned)w->s.creator_pid,
               w->s.creator_alive ? "true" : "false", (unsigned long long)w->s.fingerprint);
        cli_json_field(", ", "layout", w->col[8]);
        cli_json_field(", ", "state", w->col[9]);
        printf(", \"stale\": %s}", strcmp(w->col[9], "stale") == 0 ? "true" : "false");
    }
    printf("]\n");
}

static void print_table(const struct rows *rows)
{
    static const char *const head[COLS] = {"NAME",    "PORT",        "OWNER",  "MODE", "SIZE",
                                           "PROCS",   "CREATOR",     "FINGERPRINT", "LAYOUT", "STATE"};
    static const int right[COLS] = {0, 0, 0, 0, 1, 1, 0, 0, 0, 0};
    size_t width[COLS];
    for (int k = 0; k < COLS; k++) {
        width[k] = strlen(head[k]);
        for (size_t i = 0; i < rows->n; i++)
            if (strlen(rows->v[i].col[k]) > width[k])
                width[k] = strlen(rows->v[i].col[k]);
    }
    for (size_t i = 0; i <= rows->n; i++) {
        for (int k = 0; k < COLS; k++) {
            const char *s = i == 0 ? head[k] : rows->v[i - 1].col[k];
            if (k == COLS - 1)
                printf("%s\n", s);
            else if (right[k])
                printf("%*s  ", (int)width[k], s);
            else
                printf("%-*s  ", (int)width[k], s);
        }
    }
}

int cli_cmd_ls(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int json = 0, c;
    while ((c = cli_getopt(argc, argv, "jh", opts)) != -1) {
        if (c == 'h') {
            fputs(ls_help, stdout);
            return CLI_OK;
        }
        if (c != 'j')
            return CLI_EUSAGE;
        json = 1;
    }
    for (int i = optind; i < argc; i++)
        if (argv[i][0] != '/')
            return cli_usage_error("unexpected argument '%s' (a device region: /PATH@OFFSET)", argv[i]);
    struct rows rows = {NULL, 0, 0};
    int rc = cli_region_scan(collect, &rows), code = CLI_OK;
    for (int i = optind; i < argc && rc == 0; i++) {
        static struct cli_region r;
        int found = cli_device_find(argv[i], &r);
        if (found == -EINVAL)
            code = code != CLI_OK ? code : cli_bad_name(argv[i]);
        else if (found < 0)
            code = code != CLI_OK ? code : cli_error(argv[i], found, NULL);
        else
            rc = collect(&r, &rows);
    }
    if (rows.n > 1)
        qsort(rows.v, rows.n, sizeof(rows.v[0]), by_name);
    if (json)
        print_json(&rows);
    else
        print_table(&rows);
    free(rows.v);
    if (rc < 0) {
        fprintf(stderr, "shmbox: ls: %s\n", shmbox_strerror(rc));
        return CLI_EFAIL;
    }
    return code;
}
