// SPDX-License-Identifier: MIT
/* Exit codes, one-line error messages and argument parsing helpers. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

const char *cli_cmd = NULL;

/* "shmbox: CMD: " or "shmbox: " */
static void prefix(void)
{
    if (cli_cmd != NULL)
        fprintf(stderr, "shmbox: %s: ", cli_cmd);
    else
        fputs("shmbox: ", stderr);
}

int cli_exit_code(int err)
{
    switch (err < 0 ? -err : err) {
    case 0: return CLI_OK;
    case EINVAL: return CLI_EUSAGE;
    case ENOENT: return CLI_ENOENT;
    case EACCES:
    case EPERM: return CLI_EACCES;
    case EPROTO: return CLI_EPROTO;
    case ETIMEDOUT:
    case EAGAIN: return CLI_ETIMEDOUT;
    case EBUSY: return CLI_EBUSY;
    case EBADMSG: return CLI_EBADMSG;
    default: return CLI_EFAIL;
    }
}

int cli_error(const char *region, int err, const char *detail)
{
    prefix();
    if (detail != NULL && detail[0] != '\0')
        fprintf(stderr, "region \"%s\": %s (%s)\n", region, shmbox_strerror(err), detail);
    else
        fprintf(stderr, "region \"%s\": %s\n", region, shmbox_strerror(err));
    return cli_exit_code(err);
}

int cli_region_msg(int code, const char *region, const char *fmt, ...)
{
    va_list ap;
    prefix();
    fprintf(stderr, "region \"%s\": ", region);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return code;
}

int cli_bad_name(const char *region)
{
    return cli_region_msg(CLI_EUSAGE, region,
                          "invalid region name (1-31 characters of A-Z a-z 0-9 . _ -, sysv:NAME, sysv:0xKEY, or "
                          "/PATH@OFFSET with OFFSET a multiple of the page size)");
}

/* ---- standard output ------------------------------------------------------ */

static int out_err;  /* errno of the first failed write to stdout, or 0 */
static int out_told; /* that failure has been reported */

void cli_stdout_guard(void)
{
    if (fcntl(STDOUT_FILENO, F_GETFD) >= 0 || errno != EBADF)
        return;
    int fd = open("/dev/null", O_RDONLY | O_CLOEXEC); /* writes to it fail */
    if (fd >= 0 && fd != STDOUT_FILENO) {
        (void)dup2(fd, STDOUT_FILENO);
        close(fd);
    }
}

int cli_stdout_usable(void)
{
    int fl = fcntl(STDOUT_FILENO, F_GETFL);
    if (fl < 0)
        return -errno;
    return (fl & O_ACCMODE) == O_RDONLY ? -EBADF : 0;
}

int cli_stdout_error(void)
{
    if (out_err == 0 && fflush(stdout) != 0)
        out_err = errno != 0 ? errno : EIO;
    if (out_err == 0 && ferror(stdout))
        out_err = EIO;
    return out_err;
}

int cli_output_failed(const char *region, int err, const char *lost)
{
    out_told = 1;
    return cli_region_msg(CLI_EFAIL, region, "cannot write standard output (%s): %s", strerror(err < 0 ? -err : err),
                          lost);
}

int cli_finish(int code)
{
    int err = cli_stdout_error();
    /* Nothing is pending after the flush: a stdout closed all along
     * (EBADF) lost nothing. */
    if (fclose(stdout) != 0 && err == 0 && errno != EBADF)
        err = errno;
    if (err == 0)
        return code;
    if (!out_told) {
        prefix();
        fprintf(stderr, "cannot write standard output (%s)\n", strerror(err));
    }
    return code == CLI_OK ? CLI_EFAIL : code;
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    prefix();
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (cli_cmd != NULL)
        fprintf(stderr, " (see 'shmbox %s --help')\n", cli_cmd);
    else
        fputs(" (see 'shmbox --help')\n", stderr);
    return CLI_EUSAGE;
}

int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts)
{
    static char **started;
    static char opts[64];
    if (started != argv) {
        started = argv;
        optind = 0; /* glibc: full re-initialisation */
        /* ':' reports a missing value apart; it goes after a leading '+'. */
        if (shortopts[0] == '+')
            snprintf(opts, sizeof(opts), "+:%s", shortopts + 1);
        else
            snprintf(opts, sizeof(opts), ":%s", shortopts);
    }
    opterr = 0;
    int c = getopt_long(argc, argv, opts, longopts, NULL);
    if (c == '?') {
        const char *o = optind > 0 && optind <= argc ? argv[optind - 1] : "";
        if (strncmp(o, "--", 2) == 0) {
            size_t n = strcspn(o + 2, "=");
            for (const struct option *l = longopts; o[2 + n] == '=' && l->name != NULL; l++)
                if (strlen(l->name) == n && strncmp(l->name, o + 2, n) == 0)
                    return cli_usage_error("option '--%s' takes no value", l->name), '?';
            return cli_usage_error("unknown option '%.*s'", (int)(n + 2), o), '?';
        }
        return cli_usage_error("unknown option '-%c'", optopt), '?';
    }
    if (c == ':') {
        const char *o = argv[optind - 1];
        if (optopt != 0 && strncmp(o, "--", 2) != 0)
            return cli_usage_error("option '-%c' needs a value", optopt), '?';
        return cli_usage_error("option '%s' needs a value", o), '?';
    }
    return c;
}

/* The library's rule (shmbox_name_valid()). */
int cli_name_valid(const char *name)
{
    return shmbox_name_valid(name);
}

int cli_parse_u32(const char *s, uint32_t max, uint32_t *out)
{
    uint64_t v = 0;
    if (s == NULL || *s == '\0')
        return -EINVAL;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9')
            return -EINVAL;
        v = v * 10u + (uint64_t)(*s - '0');
        if (v > max)
            return -EINVAL;
    }
    *out = (uint32_t)v;
    return 0;
}
