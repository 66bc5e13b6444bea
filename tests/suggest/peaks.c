/*
 * A program with known peaks, for `shmbox suggest`'s test.
 *
 *   suggest-peaks NAME   create region NAME and reach these peaks, none of
 *                        the calls waiting (SHMBOX_NO_WAIT):
 *                          pool 0: 10 slots, pool 1: 3, pool 2: 1, all
 *                          held at once (pools past the third: none)
 *                          mailbox 0: 12 messages queued, mailbox 1: 5
 *                          (when the layout has a second mailbox)
 *                          one process (this one)
 *                        then print "ready", wait for standard input to
 *                        close, remove the region and exit 0. Any failed
 *                        call (a layout too small for these peaks) prints
 *                        the call and exits 1.
 *   suggest-peaks NAME idle   the same with no traffic: no peaks at all
 * Built with the default layout it makes the region `shmbox suggest`
 * reads; built with the fragment suggest printed it must run as well.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <shmbox/shmbox.h>

static const unsigned pool_peak[3] = {10, 3, 1};
static const size_t pool_size[3] = {1, 65, 1025}; /* fits pool n, not pool n - 1 (default layout) */
static const unsigned mbox_peak[2] = {12, 5};

static shmbox_t sb;

static int failed(const char *what, int rc)
{
    fprintf(stderr, "suggest-peaks: %s: %s (%d)\n", what, shmbox_strerror(rc), rc);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "idle") != 0)) {
        fprintf(stderr, "usage: suggest-peaks NAME [idle]\n");
        return 2;
    }
    const char *name = argv[1];
    int busy = argc == 2;
    int rc = shmbox_create(&sb, name);
    if (rc < 0)
        return failed("create", rc);
    /* Every pool's peak at the same time: a pool short of its peak cannot
     * lend a larger pool's slot without that one coming short in turn. */
    shmbox_slot_t held[16];
    unsigned n = 0;
    for (unsigned p = 0; busy && p < 3 && p < SHMBOX_POOL_COUNT; p++)
        for (unsigned i = 0; i < pool_peak[p] && rc >= 0; i++)
            rc = shmbox_slot_alloc(&sb, pool_size[p], &held[n++], SHMBOX_NO_WAIT);
    if (rc < 0)
        n--;
    for (unsigned i = 0; i < n; i++)
        if (shmbox_slot_free(&sb, held[i]) < 0 && rc >= 0)
            rc = -EINVAL;
    if (rc < 0) {
        (void)shmbox_close(&sb);
        (void)shmbox_unlink(name);
        return failed("slots", rc);
    }
    for (unsigned m = 0; busy && m < 2 && m < SHMBOX_MBOX_COUNT && rc >= 0; m++) {
        for (unsigned i = 0; i < mbox_peak[m] && rc >= 0; i++)
            rc = shmbox_send(&sb, m, "peak", 4, SHMBOX_NO_WAIT);
        char buf[8];
        for (unsigned i = 0; i < mbox_peak[m] && rc >= 0; i++)
            rc = shmbox_recv(&sb, m, buf, sizeof(buf), SHMBOX_NO_WAIT);
    }
    if (rc < 0) {
        (void)shmbox_close(&sb);
        (void)shmbox_unlink(name);
        return failed("messages", rc);
    }
    printf("ready\n");
    fflush(stdout);
    while (getchar() != EOF)
        ;
    (void)shmbox_close(&sb);
    rc = shmbox_unlink(name);
    return rc < 0 ? failed("unlink", rc) : 0;
}
