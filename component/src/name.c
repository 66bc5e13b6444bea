// SPDX-License-Identifier: MIT
/* The rule for region names (the API's and the tools'). */
#include <shmbox/shmbox.h>

int shmbox_name_valid(const char *name)
{
    if (name == NULL)
        return 0;
    size_t n = 0;
    for (; name[n] != '\0'; n++) {
        char c = name[n];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                 c == '_' || c == '-';
        if (!ok || n >= SHMBOX_NAME_MAX)
            return 0;
    }
    /* "." and ".." could name a directory on a port mapping names to files. */
    return n > 0 && !(n == 1 && name[0] == '.') && !(n == 2 && name[0] == '.' && name[1] == '.');
}
