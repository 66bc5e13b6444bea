/* Exit codes, one-line error messages and argument parsing helpers. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

const char *cli_cmd = "shmbox";

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
    if (detail != NULL && detail[0] != '\0')
        fprintf(stderr, "%s: region \"%s\": %s (%s)\n", cli_cmd, region, shmbox_strerror(err), detail);
    else
        fprintf(stderr, "%s: region \"%s\": %s\n", cli_cmd, region, shmbox_strerror(err));
    return cli_exit_code(err);
}

int cli_bad_name(const char *region)
{
    fprintf(stderr, "%s: region \"%s\": invalid region name (1-31 characters of A-Z a-z 0-9 . _ -, or sysv:0xKEY)\n",
            cli_cmd, region);
    return CLI_EUSAGE;
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", cli_cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see '%s --help')\n", cli_cmd);
    return CLI_EUSAGE;
}

/* The same rule as the library's (API.md): 1..31 of [A-Za-z0-9._-], not "." or "..". */
int cli_name_valid(const char *name)
{
    size_t n = 0;
    for (; name[n] != '\0'; n++) {
        char c = name[n];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                 c == '_' || c == '-';
        if (!ok || n >= SHMBOX_NAME_MAX)
            return 0;
    }
    return n > 0 && strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
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

int cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return 1;
    return 0;
}
