// SPDX-License-Identifier: MIT
/*
 * Roles about ownership and failures: own (the firmware's slots survive
 * Linux's reclaim; `shmbox stat` lists the firmware), crash (a Linux
 * process killed inside a critical section the firmware then waits for),
 * reattach (the board killed mid-traffic and booted again), and demo.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hooks.h"
#include "host.h"
#include "stream.h"

#define BIG_POOL (SHMBOX_POOL_COUNT - 1)

static uint32_t used_now(shmbox_t *sb)
{
    struct shmbox_stat st;
    int rc = shmbox_stat(sb, &st);
    if (rc < 0)
        hx_fail("stat", rc);
    return st.pool[BIG_POOL].used;
}

/* READY, then the firmware's held slots: their handles; their bytes checked. */
static uint32_t take_ready(shmbox_t *sb, uint32_t tag, shmbox_slot_t *held)
{
    struct hb_ctl c;
    hx_ctl_wait(sb, &c, HB_CTL_READY, 60000);
    if (c.a != tag)
        hx_fail("READY from another boot", (long)c.a);
    uint32_t used = c.b;
    for (uint32_t i = 0; i < HB_HELD_SLOTS; i++) {
        hx_ctl_wait(sb, &c, HB_CTL_SLOT, 10000);
        held[i] = c.a;
    }
    return used;
}

static void check_held(shmbox_t *sb, const shmbox_slot_t *held)
{
    for (uint32_t i = 0; i < HB_HELD_SLOTS; i++) {
        const unsigned char *p = shmbox_slot_ptr(sb, held[i]);
        struct hb_head h;
        if (p == NULL)
            hx_fail("a slot the firmware holds reads as free", (long)i);
        if (hb_check(p, HB_HELD_SIZE, &h) < 0 || h.sender != HB_HELD_SENDER || h.seq != i)
            hx_fail("a slot the firmware holds has other bytes", (long)i);
    }
}

/* Linux's reclaim frees none of the firmware's slots. */
static void reclaim_frees_none(shmbox_t *sb, const shmbox_slot_t *held)
{
    uint32_t before = used_now(sb);
    int rc = shmbox_reclaim(sb);
    if (rc != 0)
        hx_fail("shmbox_reclaim() freed slots (or failed)", rc);
    uint32_t after = used_now(sb);
    if (after != before)
        hx_fail("pool used count changed across the reclaim", (long)after);
    check_held(sb, held);
    printf("reclaim: freed 0 slots; pool 1 used stays %u; the firmware's %u slots keep their bytes\n",
           (unsigned)after, HB_HELD_SLOTS);
}

/* own [create]: the region made by Linux (create: the firmware opens
 * it) or by the firmware. */
static int own(int argc, char **argv)
{
    shmbox_t sb = {0};
    int create = argc > 0 && strcmp(argv[0], "create") == 0;
    if (create) {
        hx_create(&sb);
        printf("own: created %s\n", hx_region);
    } else {
        hx_open(&sb);
    }
    shmbox_slot_t held[HB_HELD_SLOTS];
    uint32_t fw_used = take_ready(&sb, 0, held);
    check_held(&sb, held);
    uint32_t used = used_now(&sb);
    if (used != fw_used || used < HB_HELD_SLOTS)
        hx_fail("pool used differs from the firmware's count", (long)used);
    reclaim_frees_none(&sb, held);
    if (hx_stat_lists_firmware(1, 1) < 0)
        hx_fail("`shmbox stat` does not list firmware 1", 0);
    hx_ctl(&sb, HB_CTL_CHECK, 0, 0);
    struct hb_ctl c;
    hx_ctl_wait(&sb, &c, HB_CTL_DONE, 60000);
    if (c.a != 0 || c.b != HB_HELD_SLOTS)
        hx_fail("the firmware's check failed", (long)c.a);
    if (used_now(&sb) != used - HB_HELD_SLOTS)
        hx_fail("the firmware's frees are not seen", (long)used_now(&sb));
    printf("own: the firmware found its slots intact and freed them\n");
    return shmbox_close(&sb) == 0 ? 0 : 1;
}

static volatile int *stopped; /* shared with the child */

static void stop_here(int point)
{
    if (point == SHMBOX_HOOK_MBOX_COPIED) {
        *stopped = 1;
        for (;;)
            pause();
    }
}

/* crash reclaim|take: a Linux process is killed holding HB_MB_TO_LX's
 * send lock, the firmware's send waits for it; repaired by
 * shmbox_reclaim() (reclaim) or by a Linux send on that mailbox (take). */
static int crash(int argc, char **argv)
{
    int take = argc > 0 && strcmp(argv[0], "take") == 0;
    stopped = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (stopped == MAP_FAILED)
        hx_fail("mmap", -errno);
    shmbox_t sb = {0};
    hx_open(&sb);
    struct hb_ctl c;
    hx_ctl_wait(&sb, &c, HB_CTL_READY, 60000);
    pid_t child = fork();
    if (child == 0) {
        shmbox_t mine = {0};
        hx_open(&mine);
        unsigned char buf[SHMBOX_MSG_SIZE];
        size_t len = hb_msg_len(2, 0);
        hb_fill(buf, len, 2, 0);
        shmbox_test_hook = stop_here;
        (void)shmbox_send(&mine, HB_MB_TO_LX, buf, len, 1000);
        _exit(3);
    }
    for (int i = 0; i < 5000 && !*stopped; i++)
        hx_sleep_ms(1);
    if (!*stopped)
        hx_fail("the child did not reach its hook", 0);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    hx_ctl(&sb, HB_CTL_GO, 0, 0);
    hx_sleep_ms(300);
    if (shmbox_recv(&sb, HB_MB_CTL_LX, &c, sizeof(c), SHMBOX_NO_WAIT) != -EAGAIN)
        hx_fail("the firmware's send completed before the repair", 0);
    uint64_t t0 = hx_now_us();
    if (take) {
        unsigned char buf[SHMBOX_MSG_SIZE];
        size_t len = hb_msg_len(1, 0);
        hb_fill(buf, len, 1, 0);
        int rc = shmbox_send(&sb, HB_MB_TO_LX, buf, len, 5000);
        if (rc < 0)
            hx_fail("Linux send on the dead holder's mailbox", rc);
    } else {
        int rc = shmbox_reclaim(&sb);
        if (rc < 0)
            hx_fail("reclaim", rc);
    }
    uint64_t t_repair = hx_now_us() - t0;
    int got_fw = 0, got_lx = 0, got_dead = 0;
    while (!got_fw) {
        unsigned char buf[SHMBOX_MSG_SIZE];
        struct hb_head h = {0, 0};
        int n = shmbox_recv(&sb, HB_MB_TO_LX, buf, sizeof(buf), 10000);
        if (n < 0)
            hx_fail("the firmware's message did not come", n);
        if (hb_check(buf, (size_t)n, &h) < 0 || h.seq != 0 || (size_t)n != hb_msg_len(h.sender, 0))
            hx_fail("a message with other bytes", (long)h.sender);
        got_fw += h.sender == HB_SENDER_FW;
        got_lx += h.sender == 1;
        got_dead += h.sender == 2;
    }
    uint64_t t_fw = hx_now_us() - t0;
    if (take && got_lx != 1)
        hx_fail("Linux's own message missing before the firmware's", got_lx);
    hx_ctl_wait(&sb, &c, HB_CTL_DONE, 10000);
    if (c.a != 0)
        hx_fail("the firmware's send failed", -(long)c.a);
    printf("crash (%s): the firmware's send, blocked %.1f ms on a lock whose Linux holder was SIGKILLed, completed "
           "%.2f ms after the repair began (the repair call itself: %.2f ms); the dead sender's half-sent message "
           "%s\n",
           take ? "a Linux process takes the lock" : "shmbox_reclaim()", (double)c.b / 1000.0, (double)t_fw / 1000.0,
           (double)t_repair / 1000.0, got_dead ? "was committed by the repair" : "was dropped");
    if (t_fw > 2000000u)
        hx_fail("slower than the 2 s bound (us)", (long)t_fw);
    return shmbox_close(&sb) == 0 ? 0 : 1;
}

static void wait_file(const char *dir, const char *name, unsigned ms)
{
    char path[512];
    struct stat st;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    for (unsigned i = 0; stat(path, &st) != 0; i++) {
        if (i > ms / 10u)
            hx_fail("waiting for the harness", 0);
        hx_sleep_ms(10);
    }
}

static void touch_file(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f == NULL || fclose(f) != 0)
        hx_fail("touch", -errno);
}

/* Receive @p want messages of @p sender (in order, from seq 0). */
static void take_stream(shmbox_t *sb, struct hb_rx *rx, uint32_t want)
{
    uint32_t goal = rx->count + want;
    uint64_t t0 = hx_now_us();
    while (rx->count < goal) {
        int rc = hb_rx_step(sb, rx, 100);
        if (rc < 0) {
            fprintf(stderr, "hybrid_host: %s\n", rx->why);
            hx_fail("receive", rc);
        }
        if (hx_now_us() - t0 > 60000000u)
            hx_fail("the firmware's messages stopped", (long)rx->count);
    }
}

/* reattach DIR: boot 1 streams, the harness kills the board (DIR/kill ->
 * DIR/killed), Linux drains and checks, the harness boots it again
 * (DIR/drained), boot 2's attach has freed boot 1's slots. */
static int reattach(int argc, char **argv)
{
    if (argc < 1)
        hx_fail("reattach DIR", 0);
    const char *dir = argv[0];
    shmbox_t sb = {0};
    hx_open(&sb);
    shmbox_slot_t held[HB_HELD_SLOTS];
    uint32_t used1 = take_ready(&sb, 1, held);
    struct hb_rx rx = {.mbox = HB_MB_TO_LX, .strict = 1};
    for (unsigned s = 1; s <= 2; s++) {
        rx.total[s] = 0xfffffff0u;
        rx.slots[s] = 0x19999990u;
    }
    take_stream(&sb, &rx, 3000);
    touch_file(dir, "kill");
    wait_file(dir, "killed", 30000);
    while (hb_rx_step(&sb, &rx, 200) > 0)
        ;
    if (rx.error)
        hx_fail(rx.why, rx.error);
    uint32_t boot1 = rx.next[1];
    check_held(&sb, held);
    uint32_t used = used_now(&sb);
    printf("reattach: boot 1 (used %u after its attach) sent %u messages before the board was killed; %u slots still "
           "its own\n",
           (unsigned)used1, (unsigned)boot1, (unsigned)used);
    if (used < HB_HELD_SLOTS || used > HB_HELD_SLOTS + 1u)
        hx_fail("slots in use after the kill", (long)used);
    reclaim_frees_none(&sb, held);
    if (hx_stat_lists_firmware(1, 0) < 0)
        hx_fail("`shmbox stat` does not list firmware 1", 0);
    /* Slots of this Linux process across the reboot: boot 2's attach
     * must free boot 1's slots and nothing else. */
    shmbox_slot_t mine[HB_HELD_SLOTS];
    for (uint32_t i = 0; i < HB_HELD_SLOTS; i++) {
        int rc = shmbox_slot_alloc(&sb, HB_HELD_SIZE, &mine[i], 1000);
        if (rc < 0)
            hx_fail("alloc", rc);
        hb_fill(shmbox_slot_ptr(&sb, mine[i]), HB_HELD_SIZE, HB_HELD_SENDER, 100u + i);
    }
    touch_file(dir, "drained");
    uint32_t used2 = take_ready(&sb, 2, held);
    if (used2 != 2u * HB_HELD_SLOTS)
        hx_fail("after boot 2's attach, pool used is not its slots + this process's (boot 1's not freed, or more "
                "freed)",
                (long)used2);
    for (uint32_t i = 0; i < HB_HELD_SLOTS; i++) {
        const unsigned char *p = shmbox_slot_ptr(&sb, mine[i]);
        struct hb_head h;
        if (p == NULL || hb_check(p, HB_HELD_SIZE, &h) < 0 || h.seq != 100u + i)
            hx_fail("a Linux slot changed across the firmware's reboot", (long)i);
        int rc = shmbox_slot_free(&sb, mine[i]);
        if (rc < 0)
            hx_fail("free", rc);
    }
    take_stream(&sb, &rx, 2000);
    hx_ctl(&sb, HB_CTL_DONE, 0, 0);
    struct hb_ctl c;
    for (;;) {
        int rc = hb_rx_step(&sb, &rx, SHMBOX_NO_WAIT);
        if (rc < 0)
            hx_fail(rx.why, rc);
        if (rc == 0 && shmbox_recv(&sb, HB_MB_CTL_LX, &c, sizeof(c), 10) == (int)sizeof(c))
            break;
    }
    if (c.kind != HB_CTL_DONE || c.a != 0)
        hx_fail("boot 2 failed", (long)c.a);
    while (hb_rx_step(&sb, &rx, 100) > 0)
        ;
    if (rx.next[2] != c.b)
        hx_fail("boot 2's messages: received another count", (long)rx.next[2]);
    if (used_now(&sb) != 0)
        hx_fail("slots left in use at the end", (long)used_now(&sb));
    printf("reattach: boot 2 reattached: boot 1's slots were freed at its attach (pool used %u = its %u + this "
           "process's %u, which kept their bytes), it sent %u messages, all received in order\n",
           (unsigned)used2, HB_HELD_SLOTS, HB_HELD_SLOTS, (unsigned)c.b);
    return shmbox_close(&sb) == 0 ? 0 : 1;
}

int hx_role_life(const char *role, int argc, char **argv)
{
    if (strcmp(role, "own") == 0)
        return own(argc, argv);
    if (strcmp(role, "crash") == 0)
        return crash(argc, argv);
    if (strcmp(role, "reattach") == 0)
        return reattach(argc, argv);
    return -2;
}
