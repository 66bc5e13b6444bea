// SPDX-License-Identifier: MIT
/*
 * Where the Linux ports keep a region of a name: the POSIX object name,
 * the SysV key, the device locator "/PATH[@OFFSET]" split into its path
 * and offset, and how a device region is removed in place. Pure
 * functions, written once for the ports, the library's
 * shmbox_region_locator() and the shmbox tool.
 */
#include <errno.h>

#include <shmbox/shmbox_format.h>

size_t shmbox_format_posix_object(const char *name, char *buf, size_t cap)
{
    static const char prefix[] = SHMBOX_POSIX_PREFIX;
    size_t len = 0;
    for (const char *s = prefix; *s != '\0' && len + 1u < cap; s++)
        buf[len++] = *s;
    for (const char *s = name; *s != '\0' && len + 1u < cap; s++)
        buf[len++] = *s;
    if (cap > 0)
        buf[len] = '\0';
    return len;
}

int32_t shmbox_format_sysv_key(const char *name, uint32_t key_base)
{
    uint32_t h = SHMBOX_FMT_FNV32_BASIS;
    for (const unsigned char *p = (const unsigned char *)name; *p != '\0'; p++) {
        h ^= *p;
        h *= SHMBOX_FMT_FNV32_PRIME;
    }
    uint32_t k = key_base ^ h;
    return (int32_t)(k == 0u ? 1u : k); /* never IPC_PRIVATE */
}

/* A decimal or 0x hex number, the whole of @p s, into @p v; -EINVAL if
 * it is empty, has another character or exceeds 64 bits. */
static int parse_u64(const char *s, uint64_t *v)
{
    unsigned base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (*s == '\0')
        return -EINVAL;
    uint64_t x = 0;
    for (; *s != '\0'; s++) {
        unsigned d;
        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = (unsigned)(*s - 'a') + 10u;
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = (unsigned)(*s - 'A') + 10u;
        else
            return -EINVAL;
        if (x > (UINT64_MAX - d) / base)
            return -EINVAL;
        x = x * base + d;
    }
    *v = x;
    return 0;
}

int shmbox_format_device_locator(const char *locator, char *path, size_t cap, uint64_t *offset)
{
    size_t n = 0, at = 0; /* at: 1 + the index of the last '@', or 0 */
    for (; locator[n] != '\0'; n++)
        if (locator[n] == '@')
            at = n + 1u;
    if (at != 0)
        n = at - 1u;
    if (locator[0] != '/' || n < 2u || n >= cap)
        return -EINVAL;
    for (size_t i = 0; i < n; i++)
        path[i] = locator[i];
    path[n] = '\0';
    if (at == 0)
        return 0;
    int rc = parse_u64(&locator[at], offset);
    return rc < 0 ? rc : 1;
}

int shmbox_format_invalidate(unsigned char *hdr)
{
    int zero = 1;
    for (size_t i = 0; i < SHMBOX_FMT_IDENTITY_BYTES; i++)
        zero &= hdr[i] == 0u;
    if (zero)
        return -ENOENT;
    for (size_t i = 0; i < SHMBOX_FMT_IDENTITY_BYTES; i++)
        hdr[i] = 0u; /* a shared store: no msync (a device has no fsync) */
    return 0;
}
