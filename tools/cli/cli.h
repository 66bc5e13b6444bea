// SPDX-License-Identifier: MIT
/*
 * The shmbox command: shared declarations of its parts.
 *
 *   main.c      global options, command dispatch, the top-level help
 *   report.c    exit codes, one-line errors, option parsing (getopt_long)
 *   find.c      locating regions (POSIX objects, SysV segments), read-only maps
 *   device.c    regions in a file or device at an offset ("/dev/mem@0x9f000000")
 *   header.c    reading a region's header (any config) without the API
 *   attach.c    attaching through the API (send, recv, reclaim), by name or key
 *   dump.c      printing message bytes: raw, escaped text, hex
 *   json.c      JSON strings, escaped (every JSON writer's)
 *   cmd_ls.c cmd_stat.c cmd_rm.c cmd_msg.c cmd_peek.c cmd_reclaim.c
 *               the subcommands
 *
 * The tool reads regions made by any build: it finds them itself and reads
 * the layout recorded in their header through a read-only mapping. ls,
 * stat and peek never attach and never write to a region; only send, recv
 * and reclaim attach through the API (shmbox_open_any(): a region of any
 * layout, in this build's port).
 */
#ifndef SHMBOX_CLI_H
#define SHMBOX_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <shmbox/shmbox.h>

#include <shmbox/shmbox_format.h>

/* ---- exit codes (documented in `shmbox --help` and the README) ---------- */
enum {
    CLI_OK = 0,
    CLI_EFAIL = 1,     /* the operation failed (reason printed) */
    CLI_EUSAGE = 2,    /* bad command line: option, argument, region name, mailbox */
    CLI_ENOENT = 3,    /* no such region */
    CLI_EACCES = 4,    /* permission denied */
    CLI_EPROTO = 5,    /* the region's layout differs from this build (send/recv) */
    CLI_ETIMEDOUT = 6, /* recv/send: timed out, or nothing to receive / mailbox full */
    CLI_EBUSY = 7,     /* rm: live processes attached (use --force) */
    CLI_EBADMSG = 8,   /* not a shmbox region, or its header is corrupt */
};

/* The command being run, for messages ("stat"); NULL before one is chosen. */
extern const char *cli_cmd;

/* Exit code for a negative errno. */
int cli_exit_code(int err);
/*
 * Every error is one line on stderr: "shmbox: CMD: MESSAGE".
 * cli_error prints "shmbox: CMD: region "NAME": REASON[ (DETAIL)]"
 * (REASON is shmbox_strerror(err)) and returns cli_exit_code(err).
 */
int cli_error(const char *region, int err, const char *detail);
/* Print the invalid-name error for region; return CLI_EUSAGE. */
int cli_bad_name(const char *region);
/*
 * Standard output. Every command's output is checked at exit (cli_finish):
 * a write that failed makes a successful command exit CLI_EFAIL with one
 * line "shmbox: CMD: cannot write standard output (REASON)".
 * cli_stdout_guard: at start, a closed stdout becomes /dev/null opened
 * read-only, so that no file the tool opens takes its descriptor (and
 * every write to it fails).
 * cli_stdout_usable: 0 when stdout is open for writing, else -EBADF (or
 * the fcntl error): to check before taking anything that is then written.
 * cli_stdout_error: flush; 0, or the errno of the first failed write.
 * cli_output_failed: print "shmbox: CMD: region "NAME": cannot write
 * standard output (REASON): LOST" once (cli_finish then prints nothing
 * more); return CLI_EFAIL.
 * cli_finish: flush and close stdout; return code, or CLI_EFAIL when code
 * is CLI_OK and the output failed.
 */
void cli_stdout_guard(void);
int cli_stdout_usable(void);
int cli_stdout_error(void);
int cli_output_failed(const char *region, int err, const char *lost);
int cli_finish(int code);
/* Print "shmbox: CMD: MESSAGE (see 'shmbox CMD --help')"; return CLI_EUSAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "shmbox: CMD: region "NAME": MESSAGE"; return code. */
int cli_region_msg(int code, const char *region, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * getopt_long with the tool's error format: returns the option's value,
 * -1 after the last option (optind then indexes the first operand; operands
 * and options may be mixed), or '?' after printing the error (the caller
 * returns CLI_EUSAGE). Resets getopt's state on the first call for argv.
 * shortopts must not start with ':' (added here); a leading '+' stops at
 * the first operand.
 */
struct option;
int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts);
/* 1 if the string is a valid region name (1..31 of [A-Za-z0-9._-]). */
int cli_name_valid(const char *name);
/* Parse a non-negative decimal number <= max: 0 or -EINVAL. */
int cli_parse_u32(const char *s, uint32_t max, uint32_t *out);

/* ---- where a region lives --------------------------------------------- */
enum cli_port { CLI_PORT_POSIX = 1, CLI_PORT_SYSV = 2, CLI_PORT_DEVICE = 3 };
/* Longest device locator the tool takes ("/PATH@OFFSET"), NUL included. */
#define CLI_LOCATOR_MAX 288

struct cli_region {
    enum cli_port port;
    char name[SHMBOX_NAME_MAX + 1]; /* "" for a SysV segment found by key only */
    char label[CLI_LOCATOR_MAX];    /* what ls prints: the name, "sysv:0x....", a locator */
    int32_t key;                    /* SysV */
    int shmid;                      /* SysV */
    uint64_t size;                  /* object / segment size */
    uint32_t uid;
    uint32_t mode;                  /* permission bits */
    uint32_t os_attach;             /* SysV: nattch (0 for POSIX) */
    char path[256];                 /* device: the file or device */
    char locator[CLI_LOCATOR_MAX];  /* device: "/PATH@OFFSET" as given */
    uint64_t offset;                /* device: where the region starts */
    uint64_t file_size;             /* device: the file's size, 0 for a device */
    /* read-only mapping, filled by cli_region_map() */
    const unsigned char *base;
    uint64_t mapped;
};

/* The SysV key the SysV port gives a name (shmbox_region_locator()). */
int32_t cli_sysv_key(const char *name);
/* The port this tool's library was built for. */
enum cli_port cli_own_port(void);
const char *cli_port_name(enum cli_port port);

/*
 * Find a region by NAME (either port, this build's port first) or by
 * "sysv:0xKEY". 0, -ENOENT, -EINVAL (bad name), -EACCES.
 */
int cli_region_find(const char *arg, struct cli_region *r);
/* Map the region read-only (mmap PROT_READ, or shmat SHM_RDONLY: neither
 * counts as attaching). 0, -EACCES, -EBADMSG (empty), -ENOMEM. */
int cli_region_map(struct cli_region *r);
void cli_region_unmap(struct cli_region *r);
/* Remove the region's name / segment (a device region: invalidated in
 * place). 0 or a negative errno. */
int cli_region_remove(const struct cli_region *r);

/* Device regions (tools/cli/device.c): find a locator "/PATH[@OFFSET]"
 * (-EINVAL if malformed), map it read-only, invalidate it in place. */
int cli_device_find(const char *arg, struct cli_region *r);
int cli_device_map(struct cli_region *r);
int cli_device_remove(const struct cli_region *r);

/* Call fn for every shmbox region on the system (POSIX objects named
 * shmbox.*, SysV segments carrying the magic); stops on a nonzero return. */
typedef int (*cli_region_fn)(struct cli_region *r, void *ctx);
int cli_region_scan(cli_region_fn fn, void *ctx);

/* ---- what the header says ----------------------------------------------- */
#define CLI_MAX_PROCS SHMBOX_FMT_PROCS_MAX

struct cli_pool_view {
    uint32_t slot_size, slot_count, used, peak;
};
struct cli_mbox_view {
    uint32_t depth, msg_size, count, peak;
    uint64_t sent, received;
};

struct cli_view {
    int err;               /* 0, or -EBADMSG with detail[] saying why */
    int shmbox;            /* the bytes are a shmbox region: a valid header, or
                              one whose creator recorded itself and is initialising */
    char detail[96];
    uint32_t init_state;
    uint32_t layout_version;
    uint64_t fingerprint;
    uint64_t region_size;
    uint32_t creator_pid;
    int creator_alive;
    struct shmbox_cfg_rec cfg;
    int same_layout;       /* the header's layout is this build's */
    uint32_t attached;     /* live entries in the process table */
    uint32_t nprocs;       /* entries listed in pids[] */
    uint32_t pids[CLI_MAX_PROCS];
    uint8_t alive[CLI_MAX_PROCS];
    uint32_t recoveries;
    char name[SHMBOX_NAME_MAX + 1]; /* the name the creator recorded, or "" */
    int have_counters;     /* pool/mbox counters read (lock-free) */
    struct cli_pool_view pool[SHMBOX_MAX_POOLS];
    uint32_t nmbox;
    struct cli_mbox_view mbox[256];
};

/* Read the header of a mapped region (any config). Always fills what it
 * can; v->err says whether the region is a readable shmbox region. */
void cli_view_read(const struct cli_region *r, struct cli_view *v);

/* Find region @p arg, map it read-only and read its header into @p v:
 * CLI_OK (mapped: the caller unmaps; v->err may still say it is no
 * readable shmbox region), or the exit code of the error it printed. */
int cli_region_look(const char *arg, struct cli_region *r, struct cli_view *v);
/*
 * Live processes that hold the region: those attached (the process table),
 * or, while it is being initialised, its live creator. A creator that has
 * closed its handle is not attached: it does not count.
 */
uint32_t cli_view_live(const struct cli_view *v);
/* "stale": a shmbox region (v->shmbox) no live process holds
 * (cli_view_live() 0), the rule shmbox_open_or_create() replaces a region
 * by. Anything else is never stale. */
int cli_view_stale(const struct cli_view *v);
/* A SysV segment whose header records a name that maps to its key is
 * known by that name: r->name NAME, r->label "sysv:NAME" (as ls shows it
 * and every command takes it). Anything else is left as it is. */
void cli_region_named(struct cli_region *r, const struct cli_view *v);
/* Write the differences between the region's config record and this
 * build's into buf ("CONFIG_X: region has 1, this build 2; ...": the
 * region format's text, shmbox_format_diff()). */
void cli_view_diff(const struct cli_view *v, char *buf, size_t cap);

/* ---- attaching (send, recv, reclaim) --------------------------------------- */
/*
 * Open region ARG (a name, sysv:NAME or sysv:0xKEY) through the API. On failure the
 * error is printed and the exit code returned; CLI_OK when attached.
 */
int cli_attach(shmbox_t *sb, const char *arg);
/* A name whose SysV key (cli_sysv_key) is key, so that the API (which
 * finds SysV segments by name) can open a segment known by its key only.
 * 0 or -ENOENT (none found; not expected). */
int cli_sysv_name_for_key(int32_t key, char *name, size_t cap);

/* ---- message bytes ---------------------------------------------------------- */
enum cli_dump { CLI_DUMP_RAW, CLI_DUMP_TEXT, CLI_DUMP_HEX };
/* Write len bytes to stdout: raw, as escaped text (printable ASCII as is,
 * \n \t \\ and \xNN otherwise) with a newline, or as a hex dump
 * (offset, 16 bytes in hex, the printable ones as text) indented by indent. */
void cli_dump(const void *p, size_t len, enum cli_dump how, int indent);

/* ---- JSON ------------------------------------------------------------------ */
/* Write s to stdout as a JSON string: quoted, with '"', '\\' and control
 * characters escaped (every string any JSON output holds goes through it;
 * other bytes are written as they are). */
void cli_json_str(const char *s);
/* Write SEP"KEY": "VALUE" (both as cli_json_str writes them). */
void cli_json_field(const char *sep, const char *key, const char *value);

/* ---- subcommands --------------------------------------------------------- */
int cli_cmd_ls(int argc, char **argv);
int cli_cmd_stat(int argc, char **argv);
int cli_cmd_rm(int argc, char **argv);
int cli_cmd_send(int argc, char **argv);
int cli_cmd_recv(int argc, char **argv);
int cli_cmd_peek(int argc, char **argv);
int cli_cmd_reclaim(int argc, char **argv);
int cli_cmd_suggest(int argc, char **argv); /* cmd_suggest.c */

#endif /* SHMBOX_CLI_H */
