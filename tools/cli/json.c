// SPDX-License-Identifier: MIT
/* JSON strings on standard output, for every JSON writer of the tool. */
#include <stdio.h>

#include "cli.h"

void cli_json_str(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", stdout);
        else if (*p == '\t')
            fputs("\\t", stdout);
        else if (*p < 0x20u)
            printf("\\u%04x", (unsigned)*p);
        else
            putchar(*p);
    }
    putchar('"');
}

void cli_json_field(const char *sep, const char *key, const char *value)
{
    fputs(sep, stdout);
    cli_json_str(key);
    fputs(": ", stdout);
    cli_json_str(value);
}
