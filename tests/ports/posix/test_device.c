// SPDX-License-Identifier: MIT
/*
 * Device regions of the POSIX port (CONFIG_SHMBOX_DEVICE): a region named
 * "/path@offset" lives in that file at that offset, as in memory reserved
 * for two cores. A 16 MiB file filled with a pattern stands for the
 * memory: regions at nonzero offsets are created, opened by another
 * process, used (messages and slots), two at once in one file; the bytes
 * outside each region stay as they were; a file too small is -ENOSPC, a
 * bad offset -EINVAL; unlink invalidates in place and leaves the file; a
 * creator killed mid-create leaves its range lock released; an offset past
 * 2 GiB works (32-bit systems too).
 */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64 /* the file grows past 2 GiB */
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <shmbox/port.h>

#include "access.h"
#include "layout.h"
#include "mp.h"

#define FILE_SIZE (16u << 20)
#define PATTERN 0xa5
#define OFF_A 0x100000u /* 1 MiB */
#define OFF_B (8u << 20)
#define REGION ((size_t)SHMBOX_CONFIG_REGION_BYTES)

_Static_assert(OFF_A + SHMBOX_CONFIG_REGION_BYTES <= OFF_B, "region A ends before B");
_Static_assert(OFF_B + SHMBOX_CONFIG_REGION_BYTES <= FILE_SIZE, "region B fits the file");

/* The port's unlink zeroes the header's identity, the bytes before cfg. */
_Static_assert(offsetof(struct shmbox_hdr, cfg) == 48, "identity: 48 bytes");

static char file[128];

/* The memory file: @p size bytes of PATTERN. */
static void make_file(size_t size)
{
    const char *dir = getenv("TMPDIR");
    if (dir == NULL || dir[0] != '/')
        dir = "/dev/shm";
    snprintf(file, sizeof(file), "%s/shmbox-device-%ld.mem", dir, (long)getpid());
    (void)unlink(file);
    int fd = open(file, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    ck_assert_msg(fd >= 0, "%s: %s", file, strerror(errno));
    ck_assert_int_eq(ftruncate(fd, (off_t)size), 0);
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    ck_assert_ptr_ne(p, MAP_FAILED);
    memset(p, PATTERN, size);
    munmap(p, size);
    close(fd);
}

static void setup(void)
{
    mp_setup();
    make_file(FILE_SIZE);
}

static void teardown(void)
{
    mp_teardown();
    (void)unlink(file);
}

static const char *locator(uint64_t off)
{
    static char buf[2][160];
    static unsigned k;
    char *s = buf[k++ % 2u];
    snprintf(s, sizeof(buf[0]), "%s@0x%llx", file, (unsigned long long)off);
    return s;
}

/* Map the whole file read-only, for the test's own checks. */
static const unsigned char *view(void)
{
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    ck_assert_int_ge(fd, 0);
    void *p = mmap(NULL, FILE_SIZE, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    ck_assert_ptr_ne(p, MAP_FAILED);
    return p;
}

/* Every byte of the file outside the regions at @p offs is still PATTERN. */
static void outside_untouched(const uint64_t *offs, unsigned n)
{
    const unsigned char *m = view();
    for (size_t i = 0; i < FILE_SIZE; i++) {
        int inside = 0;
        for (unsigned k = 0; k < n; k++)
            inside |= i >= offs[k] && i < offs[k] + REGION;
        if (!inside && m[i] != PATTERN)
            ck_abort_msg("byte %zu outside the regions changed to 0x%02x", i, m[i]);
    }
    munmap((void *)(uintptr_t)m, FILE_SIZE);
}

/* Child: open the region, answer "ping" with "pong", and send back the
 * slot it received with each byte incremented. */
static int peer(void *arg)
{
    const char *name = arg;
    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    if (shmbox_open(&sb, name, MP_CALL_MS) != 0)
        return MP_EOPEN;
    char msg[16] = {0};
    if (shmbox_recv(&sb, 0, msg, sizeof(msg), MP_CALL_MS) != 4 || memcmp(msg, "ping", 4) != 0)
        return MP_EDATA;
    if (shmbox_send(&sb, 1, "pong", 4, MP_CALL_MS) != 0)
        return MP_ECALL;
    shmbox_slot_t slot;
    size_t len;
    if (shmbox_recv_slot(&sb, 0, &slot, &len, MP_CALL_MS) != 0 || len != 1000)
        return MP_ECALL;
    unsigned char *p = shmbox_slot_ptr(&sb, slot);
    for (size_t i = 0; i < len; i++)
        p[i] = (unsigned char)(p[i] + 1u);
    if (shmbox_send_slot(&sb, 1, slot, len, MP_CALL_MS) != 0)
        return MP_ECALL;
    return shmbox_close(&sb) == 0 ? MP_OK : MP_ECALL;
}

/* The parent's half of peer() on an open handle. */
static void exchange(shmbox_t *sb, const char *name)
{
    pid_t pid = mp_spawn(peer, (void *)(uintptr_t)name);
    MP_RC(shmbox_send(sb, 0, "ping", 4, MP_CALL_MS), 0);
    char msg[16] = {0};
    MP_RC(shmbox_recv(sb, 1, msg, sizeof(msg), MP_CALL_MS), 4);
    ck_assert_mem_eq(msg, "pong", 4);
    shmbox_slot_t slot;
    MP_RC(shmbox_slot_alloc(sb, 1000, &slot, MP_CALL_MS), 0);
    unsigned char *p = shmbox_slot_ptr(sb, slot);
    for (size_t i = 0; i < 1000; i++)
        p[i] = (unsigned char)i;
    MP_RC(shmbox_send_slot(sb, 0, slot, 1000, MP_CALL_MS), 0);
    size_t len;
    MP_RC(shmbox_recv_slot(sb, 1, &slot, &len, MP_CALL_MS), 0);
    ck_assert_uint_eq(len, 1000);
    p = shmbox_slot_ptr(sb, slot);
    for (size_t i = 0; i < 1000; i++)
        ck_assert_uint_eq(p[i], (unsigned char)(i + 1u));
    MP_RC(shmbox_slot_free(sb, slot), 0);
    MP_CHILD_OK(pid, 60000);
}

START_TEST(create_open_exchange)
{
    const char *name = locator(OFF_A);
    MP_RC(shmbox_create(&mp_sb, name), 0);
    exchange(&mp_sb, name);
    /* The header is at the offset and records the locator's last 31
     * characters (the field holds 31 and a NUL). */
    const unsigned char *m = view();
    struct shmbox_hdr h;
    memcpy(&h, m + OFF_A, sizeof(h));
    munmap((void *)(uintptr_t)m, FILE_SIZE);
    ck_assert_uint_eq(h.magic, SHMBOX_MAGIC);
    size_t n = strlen(name);
    ck_assert_str_eq(h.name, n > SHMBOX_NAME_MAX ? name + n - SHMBOX_NAME_MAX : name);
    /* A ready region is there: create again is -EEXIST, and leaves it. */
    shmbox_t other;
    memset(&other, 0, sizeof(other));
    MP_RC(shmbox_create(&other, name), -EEXIST);
    MP_RC(shmbox_open_or_create(&other, name, MP_CALL_MS), 0);
    MP_RC(shmbox_close(&other), 0);
    MP_RC(shmbox_close(&mp_sb), 0);
    uint64_t offs[] = {OFF_A};
    outside_untouched(offs, 1);
    MP_RC(shmbox_unlink(name), 0);
}
END_TEST

START_TEST(two_regions_in_one_file)
{
    const char *a = locator(OFF_A);
    char b[160];
    snprintf(b, sizeof(b), "%s@%u", file, (unsigned)OFF_B); /* decimal */
    shmbox_t sb_b;
    memset(&sb_b, 0, sizeof(sb_b));
    MP_RC(shmbox_create(&mp_sb, a), 0);
    MP_RC(shmbox_create(&sb_b, b), 0);
    MP_RC(shmbox_send(&sb_b, 2, "to b", 4, SHMBOX_NO_WAIT), 0);
    exchange(&mp_sb, a); /* B's queued message is not A's */
    char msg[8] = {0};
    MP_RC(shmbox_recv(&mp_sb, 2, msg, sizeof(msg), SHMBOX_NO_WAIT), -EAGAIN);
    MP_RC(shmbox_recv(&sb_b, 2, msg, sizeof(msg), SHMBOX_NO_WAIT), 4);
    ck_assert_mem_eq(msg, "to b", 4);
    exchange(&sb_b, b);
    MP_RC(shmbox_close(&sb_b), 0);
    MP_RC(shmbox_close(&mp_sb), 0);
    uint64_t offs[] = {OFF_A, OFF_B};
    outside_untouched(offs, 2);
    MP_RC(shmbox_unlink(a), 0);
    MP_RC(shmbox_unlink(b), 0);
}
END_TEST

START_TEST(file_too_small)
{
    /* Ends one page before the region at OFF_A would. */
    ck_assert_int_eq(truncate(file, (off_t)(OFF_A + REGION - 4096u)), 0);
    const char *name = locator(OFF_A);
    MP_RC(shmbox_create(&mp_sb, name), -ENOSPC);
    MP_RC(shmbox_open(&mp_sb, name, SHMBOX_NO_WAIT), -ENOSPC);
    MP_RC(shmbox_create(&mp_sb, locator(0)), 0); /* room at offset 0 */
    MP_RC(shmbox_close(&mp_sb), 0);
    MP_RC(shmbox_unlink(locator(0)), 0);
}
END_TEST

START_TEST(bad_locators)
{
    static const char *const suffixes[] = {"@0x1001", "@4097", "@12ab", "@", "@0x", "@-4096", "@ 4096",
                                           "@0x100000x", "@0x10000000000000000", "@99999999999999999999"};
    char name[200];
    for (unsigned i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        snprintf(name, sizeof(name), "%s%s", file, suffixes[i]);
        MP_RC(shmbox_create(&mp_sb, name), -EINVAL);
        MP_RC(shmbox_open(&mp_sb, name, SHMBOX_NO_WAIT), -EINVAL);
        MP_RC(shmbox_unlink(name), -EINVAL);
    }
    MP_RC(shmbox_create(&mp_sb, "/"), -EINVAL);
    MP_RC(shmbox_create(&mp_sb, "/@0"), -EINVAL);
    MP_RC(shmbox_create(&mp_sb, "dev/shm/x@0"), -EINVAL); /* relative: not a name either */
    MP_RC(shmbox_open(&mp_sb, "/nonexistent/shmbox.mem@0", SHMBOX_NO_WAIT), -ENOENT);
    MP_RC(shmbox_create(&mp_sb, "/dev/shm@0"), -EINVAL); /* a directory is no memory */
    snprintf(name, sizeof(name), "%s/below@0", file);    /* through a file: ENOTDIR */
    MP_RC(shmbox_create(&mp_sb, name), -ENOENT);
    uint64_t none[] = {0};
    outside_untouched(none, 0);
}
END_TEST

START_TEST(unlink_in_place)
{
    const char *name = locator(OFF_A);
    MP_RC(shmbox_create(&mp_sb, name), 0);
    MP_RC(shmbox_send(&mp_sb, 0, "old", 3, SHMBOX_NO_WAIT), 0);
    MP_RC(shmbox_close(&mp_sb), 0);
    MP_RC(shmbox_unlink(name), 0);
    struct stat st;
    ck_assert_int_eq(stat(file, &st), 0);
    ck_assert_int_eq((long long)st.st_size, (long long)FILE_SIZE);
    MP_RC(shmbox_unlink(name), -ENOENT); /* nothing there any more */
    const unsigned char *m = view();
    for (size_t i = 0; i < 48; i++)
        ck_assert_uint_eq(m[OFF_A + i], 0);
    munmap((void *)(uintptr_t)m, FILE_SIZE);
    /* No region there: an open does not find a ready one in time. */
    MP_RC(shmbox_open(&mp_sb, name, SHMBOX_NO_WAIT), -ETIMEDOUT);
    /* A new create starts afresh: the old message is gone. */
    MP_RC(shmbox_create(&mp_sb, name), 0);
    char msg[8];
    MP_RC(shmbox_recv(&mp_sb, 0, msg, sizeof(msg), SHMBOX_NO_WAIT), -EAGAIN);
    MP_RC(shmbox_close(&mp_sb), 0);
    MP_RC(shmbox_unlink(name), 0);
    uint64_t offs[] = {OFF_A};
    outside_untouched(offs, 1);
}
END_TEST

/* Device memory exists before its region, whose creator may be a firmware
 * that boots later: an open waits for it until its timeout (never a
 * "never initialised" after a grace period), and a sleeper on a device
 * region polls at the firmware's rate from the start (it would never learn
 * of a firmware's attach), where one on a shm object sleeps 100 ms. */
START_TEST(waits_for_a_late_creator)
{
    const char *name = locator(OFF_A);
    MP_RC(shmbox_create(&mp_sb, name), 0);
    MP_RC(shmbox_close(&mp_sb), 0);
    MP_RC(shmbox_unlink(name), 0); /* a zeroed header: no region there */
    uint64_t t0 = mp_now_ms();
    MP_RC(shmbox_open(&mp_sb, name, 3500), -ETIMEDOUT);
    ck_assert_uint_ge(mp_now_ms() - t0, 3400);
    MP_RC(shmbox_create(&mp_sb, name), 0);
    ck_assert_uint_eq(sbx_sleep_slice(&mp_sb), SBX_FW_POLL_NS);
    MP_RC(shmbox_close(&mp_sb), 0);
    MP_RC(shmbox_unlink(name), 0);
    char shm_name[SHMBOX_NAME_MAX + 1];
    snprintf(shm_name, sizeof(shm_name), "%s", shmbox_test_name("devslice"));
    shmbox_t shm;
    memset(&shm, 0, sizeof(shm));
    MP_RC(shmbox_create(&shm, shm_name), 0);
    ck_assert_uint_eq(sbx_sleep_slice(&shm), SBX_LOST_WAKE_SLICE_NS);
    MP_RC(shmbox_close(&shm), 0);
    MP_RC(shmbox_unlink(shm_name), 0);
}
END_TEST

/* An offset past 2 GiB, as /dev/mem@0x9f000000 is: 64-bit file offsets on
 * 32-bit systems too (a 32-bit off_t would be negative there). The file
 * grows sparse. (Not past 4 GiB: qemu-user 7.2 truncates a 32-bit guest's
 * mmap offset to 32 bits, so a cross build's run would test the emulator.) */
START_TEST(offset_past_2gib)
{
    const uint64_t big = 0x9f000000u;
    ck_assert_int_eq(truncate(file, (off_t)(big + FILE_SIZE)), 0);
    const char *name = locator(big);
    MP_RC(shmbox_create(&mp_sb, name), 0);
    exchange(&mp_sb, name);
    MP_RC(shmbox_close(&mp_sb), 0);
    uint64_t none[] = {0};
    outside_untouched(none, 0); /* the first 16 MiB: all pattern still */
    MP_RC(shmbox_unlink(name), 0);
    MP_RC(shmbox_unlink(name), -ENOENT);
}
END_TEST

/* Child: take the creator's lock of a region (the port's create, as
 * shmbox_create does first), say so on the pipe, and wait to be killed. */
static int stuck_creator(void *arg)
{
    int fd = (int)(intptr_t)arg;
    struct shmbox_port_map map;
    int rc = shmbox_port_region_create(locator(OFF_A), SHMBOX_CONFIG_REGION_BYTES, 0600, &map);
    char c = rc == 0 ? 'y' : 'n';
    if (mp_write(fd, &c, 1) != 0)
        return MP_EPIPE;
    for (;;)
        pause();
}

START_TEST(killed_creator_releases_lock)
{
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    pid_t pid = mp_spawn(stuck_creator, (void *)(intptr_t)p[1]);
    char c = 0;
    ck_assert_int_eq(mp_read(p[0], &c, 1), 0);
    ck_assert_int_eq(c, 'y');
    /* Its range is taken: -EEXIST, and an opener sees a creator at work. */
    MP_RC(shmbox_create(&mp_sb, locator(OFF_A)), -EEXIST);
    struct shmbox_port_map map;
    MP_RC(shmbox_port_region_open(locator(OFF_A), 64, &map), 0);
    MP_RC(shmbox_port_region_creating(&map), 1);
    MP_RC(shmbox_unlink(locator(OFF_A)), -EBUSY); /* not while it is being made */
    /* Another range of the same file is not blocked. */
    shmbox_t sb_b;
    memset(&sb_b, 0, sizeof(sb_b));
    MP_RC(shmbox_create(&sb_b, locator(OFF_B)), 0);
    MP_RC(shmbox_close(&sb_b), 0);
    MP_RC(shmbox_unlink(locator(OFF_B)), 0);
    /* Killed: the kernel drops its lock. Unlocked device memory tells
     * nothing more (a firmware, which holds no lock, may be making it). */
    kill(pid, SIGKILL);
    ck_assert_int_eq(mp_wait(pid, 10000), -1);
    MP_RC(shmbox_port_region_creating(&map), -ENOSYS);
    MP_RC(shmbox_port_region_close(&map), 0);
    MP_RC(shmbox_create(&mp_sb, locator(OFF_A)), 0);
    MP_RC(shmbox_close(&mp_sb), 0);
    MP_RC(shmbox_unlink(locator(OFF_A)), 0);
    close(p[0]);
    close(p[1]);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("device");
    TCase *tc = tcase_create("device");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, create_open_exchange);
    tcase_add_test(tc, two_regions_in_one_file);
    tcase_add_test(tc, file_too_small);
    tcase_add_test(tc, bad_locators);
    tcase_add_test(tc, unlink_in_place);
    tcase_add_test(tc, waits_for_a_late_creator);
    tcase_add_test(tc, killed_creator_releases_lock);
    tcase_add_test(tc, offset_past_2gib);
    suite_add_tcase(s, tc);
    return mp_run(s);
}
