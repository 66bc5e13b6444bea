// SPDX-License-Identifier: MIT
/* Message bytes on standard output: raw, escaped text, or a hex dump. */
#include <stdio.h>

#include "cli.h"

static int printable(unsigned char c)
{
    return c >= 0x20 && c < 0x7f;
}

static void text(const unsigned char *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = p[i];
        if (c == '\\')
            fputs("\\\\", stdout);
        else if (c == '\n')
            fputs("\\n", stdout);
        else if (c == '\t')
            fputs("\\t", stdout);
        else if (printable(c))
            putchar(c);
        else
            printf("\\x%02x", (unsigned)c);
    }
    putchar('\n');
}

static void hex(const unsigned char *p, size_t len, int indent)
{
    for (size_t off = 0; off < len || off == 0; off += 16u) {
        printf("%*s%08zx ", indent, "", off);
        for (size_t i = 0; i < 16u; i++) {
            if (i == 8u)
                putchar(' ');
            if (off + i < len)
                printf(" %02x", (unsigned)p[off + i]);
            else
                fputs("   ", stdout);
        }
        fputs("  |", stdout);
        for (size_t i = 0; i < 16u && off + i < len; i++)
            putchar(printable(p[off + i]) ? p[off + i] : '.');
        fputs("|\n", stdout);
        if (len == 0)
            break;
    }
}

void cli_dump(const void *p, size_t len, enum cli_dump how, int indent)
{
    const unsigned char *b = p;
    if (how == CLI_DUMP_HEX) {
        hex(b, len, indent);
    } else if (how == CLI_DUMP_TEXT) {
        printf("%*s", indent, "");
        text(b, len);
    } else {
        fwrite(b, 1, len, stdout);
        putchar('\n');
    }
}
