// SPDX-License-Identifier: MIT
/*
 * The POSIX port's own behaviour: the shm object "/shmbox.<name>", its
 * permission bits whatever the umask, foreign objects (-EEXIST, -EBADMSG),
 * and the errors the operating system gives, each provoked for real in a
 * child process whose limits or identity are changed: -ENOSPC (a file
 * size limit), -EMFILE (a descriptor limit; open too), -ENOMEM (an address-space
 * limit; open too), -EACCES (another user). -ENFILE (the system-wide file table) is
 * not provoked: that would disturb every process on the machine.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mp.h"

static const char *region;
static const char *existing; /* a region that exists, for open */

static void object_path(const char *name, char *out, size_t cap)
{
    snprintf(out, cap, "/dev/shm/shmbox.%s", name);
}

/* A foreign shm object of @p size bytes, filled with @p byte. */
static void make_object(const char *name, size_t size, int byte)
{
    char obj[64];
    snprintf(obj, sizeof(obj), "/shmbox.%s", name);
    int fd = shm_open(obj, O_RDWR | O_CREAT | O_EXCL, 0600);
    ck_assert_msg(fd >= 0, "shm_open %s: %s", obj, strerror(errno));
    ck_assert_int_eq(ftruncate(fd, (off_t)size), 0);
    if (size > 0 && byte != 0) {
        void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        ck_assert_ptr_ne(p, MAP_FAILED);
        memset(p, byte, size);
        munmap(p, size);
    }
    close(fd);
}

START_TEST(object_name_and_mode)
{
    static const mode_t masks[] = {0, 022, 077, 0777};
    for (unsigned k = 0; k < 4; k++) {
        region = mp_name("mode");
        mode_t old = umask(masks[k]);
        int rc = shmbox_create(&mp_sb, region);
        umask(old);
        MP_RC(rc, 0);
        char path[64];
        object_path(region, path, sizeof(path));
        struct stat st;
        ck_assert_msg(stat(path, &st) == 0, "%s: %s", path, strerror(errno));
        ck_assert_msg((st.st_mode & 0777u) == SHMBOX_MODE_BITS, "umask %03o: mode %03o, want %03o",
                      (unsigned)masks[k], (unsigned)(st.st_mode & 0777u), (unsigned)SHMBOX_MODE_BITS);
        ck_assert_uint_ge((uint64_t)st.st_size, SHMBOX_CONFIG_REGION_BYTES);
        /* Storage is reserved at create (posix_fallocate), not on touch. */
        ck_assert_uint_ge((uint64_t)st.st_blocks * 512u, SHMBOX_CONFIG_REGION_BYTES);
        /* What the library tells tools: the object the port made, and the port. */
        struct shmbox_locator loc;
        MP_RC(shmbox_region_locator(region, &loc), 0);
        ck_assert_str_eq(path + strlen("/dev/shm"), loc.posix_object);
        ck_assert_int_eq(loc.port, SHMBOX_PORT_ID_POSIX);
        MP_RC(shmbox_close(&mp_sb), 0);
        MP_RC(shmbox_unlink(region), 0);
        ck_assert_int_ne(stat(path, &st), 0);
    }
}
END_TEST

START_TEST(foreign_objects)
{
    /* Any object of that name makes create fail. */
    region = mp_name("forn");
    make_object(region, 100, 0x11);
    MP_RC(shmbox_create(&mp_sb, region), -EEXIST);
    /* Too small to be a region: -EBADMSG once the creator's grace period
     * is over, -ETIMEDOUT if the caller's timeout ends first. */
    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    MP_RC(shmbox_open(&sb, region, 100), -ETIMEDOUT);
    MP_RC(shmbox_open(&sb, region, 30000), -EBADMSG);
    ck_assert_ptr_nonnull(strstr(shmbox_error_detail(&sb), "small"));
    MP_RC(shmbox_unlink(region), 0);

    /* Big enough, but garbage. */
    region = mp_name("garb");
    make_object(region, SHMBOX_CONFIG_REGION_BYTES, 0x5a);
    MP_RC(shmbox_open(&sb, region, 1000), -EBADMSG);
    MP_RC(shmbox_unlink(region), 0);

    /* Zeros (a creator that died before writing anything): -EBADMSG after
     * the grace period, never an endless wait. */
    region = mp_name("zero");
    make_object(region, SHMBOX_CONFIG_REGION_BYTES, 0);
    uint64_t t0 = mp_now_ms();
    MP_RC(shmbox_open(&sb, region, SHMBOX_FOREVER), -EBADMSG);
    ck_assert_uint_lt(mp_now_ms() - t0, 30000);
    MP_RC(shmbox_unlink(region), 0);
}
END_TEST

/* ---- operating-system errors, each in a child with its own limits --------- */

enum { LIM_FSIZE, LIM_NOFILE, LIM_AS };
#define NOT_ENFORCED 77 /* the limit did not take (emulators) */

static int limited_create(void *arg)
{
    int which = (int)(intptr_t)arg;
    struct rlimit rl;
    if (which == LIM_FSIZE) {
        signal(SIGXFSZ, SIG_IGN);
        rl.rlim_cur = rl.rlim_max = 4096;
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
            return MP_ECALL;
    } else if (which == LIM_NOFILE) {
        int fd = dup(0) >= 0 ? dup(0) : open("/dev/null", O_RDONLY);
        if (fd < 0)
            return MP_ECALL;
        rl.rlim_cur = rl.rlim_max = (rlim_t)fd; /* every descriptor below is taken */
        for (int i = 0; i < fd; i++)
            if (fcntl(i, F_GETFD) < 0 && open("/dev/null", O_RDONLY) < 0)
                return MP_ECALL;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
            return MP_ECALL;
    } else {
        /* Room for what is mapped now plus a little, not for the region. */
        FILE *f = fopen("/proc/self/statm", "r");
        unsigned long pages = 0;
        if (f == NULL || fscanf(f, "%lu", &pages) != 1)
            return MP_ECALL;
        fclose(f);
        rl.rlim_cur = rl.rlim_max = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + 65536u;
        if (setrlimit(RLIMIT_AS, &rl) != 0)
            return MP_ECALL;
        /* qemu-user accepts but ignores RLIMIT_AS (it would limit qemu). */
        struct rlimit now;
        if (getrlimit(RLIMIT_AS, &now) != 0 || now.rlim_cur != rl.rlim_cur)
            return NOT_ENFORCED;
    }
    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    int rc = shmbox_create(&sb, region);
    int want = which == LIM_FSIZE ? -ENOSPC : which == LIM_NOFILE ? -EMFILE : -ENOMEM;
    if (rc != want)
        return 100 + (-rc & 0x1f);
    if (which != LIM_FSIZE) {
        rc = shmbox_open(&sb, existing, 1000);
        if (rc != want)
            return 60 + (-rc & 0x1f);
    }
    return MP_OK;
}

START_TEST(create_enospc_emfile_enomem)
{
    static const char *const what[] = {"-ENOSPC (RLIMIT_FSIZE)", "-EMFILE (RLIMIT_NOFILE)", "-ENOMEM (RLIMIT_AS)"};
    for (int which = LIM_FSIZE; which <= LIM_AS; which++) {
        region = mp_name("lim");
        if (which != LIM_FSIZE) {
            /* The open half of these cases needs an existing region. */
            shmbox_t sb;
            memset(&sb, 0, sizeof(sb));
            existing = mp_name("limo");
            MP_RC(shmbox_create(&sb, existing), 0);
            MP_RC(shmbox_close(&sb), 0);
        }
        pid_t pid = mp_spawn(limited_create, (void *)(intptr_t)which);
        int st = mp_wait(pid, 30000);
        if (st == NOT_ENFORCED) {
            printf("posix port: %s not checked: the limit is not enforced here (qemu-user)\n", what[which]);
            continue;
        }
        ck_assert_msg(st == MP_OK, "%s: child ended with %d (100+errno: create, 60+errno: open)", what[which], st);
        /* A failed create leaves no object behind. */
        shmbox_t sb;
        memset(&sb, 0, sizeof(sb));
        MP_RC(shmbox_open(&sb, region, SHMBOX_NO_WAIT), -ENOENT);
    }
}
END_TEST

static int other_user(void *arg)
{
    (void)arg;
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
        return MP_ECALL;
    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    int rc = shmbox_open(&sb, region, 1000);
    if (rc != -EACCES)
        return 100 + (-rc & 0x1f);
    if (geteuid() != 0 && getuid() == 65534) {
        rc = shmbox_unlink(region);
        if (rc != -EACCES)
            return 60 + (-rc & 0x1f);
    }
    return MP_OK;
}

START_TEST(eacces_for_another_user)
{
    region = mp_create("acc");
    if (geteuid() != 0) {
        /* Not root: deny ourselves (the owner) instead of another user. */
        char path[64];
        object_path(region, path, sizeof(path));
        ck_assert_int_eq(chmod(path, 0), 0);
        printf("posix port: not root, -EACCES of unlink by another user not checked\n");
    }
    pid_t pid = mp_spawn(other_user, NULL);
    int st = mp_wait(pid, 30000);
    ck_assert_msg(st == MP_OK, "child ended with %d (100+errno: open, 60+errno: unlink)", st);
    /* Still there, still usable by its owner. */
    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    if (geteuid() == 0)
        MP_RC(shmbox_open(&sb, region, 1000), 0);
    MP_RC(shmbox_send(&mp_sb, 0, "x", 1, SHMBOX_NO_WAIT), 0);
    (void)shmbox_close(&sb);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("posix");
    TCase *tc = mp_tcase("posix");
    tcase_add_test(tc, object_name_and_mode);
    tcase_add_test(tc, foreign_objects);
    tcase_add_test(tc, create_enospc_emfile_enomem);
    tcase_add_test(tc, eacces_for_another_user);
    suite_add_tcase(s, tc);
    return mp_run(s);
}
