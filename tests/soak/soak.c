// SPDX-License-Identifier: MIT
/*
 * Random-kill soak: producers and consumers move copied messages (mailbox
 * 0) and slots (mailbox 1) while the parent SIGKILLs one of them at random
 * and restarts it, again and again. At the end it checks:
 *   - no message was received twice, none arrived corrupted;
 *   - every message that never arrived is one a killed producer was
 *     sending at that moment, or one a killed consumer had already taken
 *     (at most one per consumer killed inside a receive);
 *   - both mailboxes still work;
 *   - after shmbox_reclaim() no slot is in use (nothing leaked);
 * and prints the figures. Exit status 0 only if all of that holds.
 *
 * usage: shmbox_soak [kills (250)] [max seconds (110)] [seed]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <shmbox/shmbox.h>

#include "support.h"

enum { PROD_COPY, PROD_SLOT, CONS_COPY, CONS_SLOT, NROLES };
#define MAXSEQ (1u << 24) /* per producer; 32 MiB of counters, touched as used */
#define MAX_LOST 65536u

struct shared {
    volatile int stop_producers;
    volatile int stop_consumers;
    volatile uint32_t next[2];         /* producer: next sequence number */
    volatile uint32_t attempt[2];      /* producer: sequence in flight (== next while sending) */
    volatile int sending[2];
    volatile int in_recv[2];           /* consumer: inside a receive */
    volatile uint32_t corrupt;
    volatile uint64_t received;
    volatile uint8_t seen[2][MAXSEQ];  /* per producer and sequence: times received */
};

static struct shared *sh;
static char region[SHMBOX_NAME_MAX + 1];

static void msleep(unsigned ms)
{
    struct timespec ts = {(time_t)(ms / 1000u), (long)(ms % 1000u) * 1000000L};
    nanosleep(&ts, NULL);
}

static uint32_t copy_len(uint32_t seq)
{
    return 8u + seq % (SHMBOX_MSG_SIZE - 7u);
}

static uint32_t slot_len(uint32_t seq)
{
    return 8u + (seq * 7u) % 1000u;
}

static void fill(unsigned char *b, uint32_t len, uint32_t kind, uint32_t seq)
{
    uint32_t check = seq * 2654435761u ^ kind;
    memcpy(b, &seq, 4);
    memcpy(b + 4, &check, 4);
    for (uint32_t i = 8; i < len; i++)
        b[i] = (unsigned char)(seq * 31u + i + kind);
}

static int valid(const unsigned char *b, uint32_t len, uint32_t kind, uint32_t *seq_out)
{
    uint32_t seq, check;
    if (len < 8)
        return 0;
    memcpy(&seq, b, 4);
    memcpy(&check, b + 4, 4);
    if (check != (seq * 2654435761u ^ kind) || seq >= MAXSEQ)
        return 0;
    if (len != (kind == PROD_COPY ? copy_len(seq) : slot_len(seq)))
        return 0;
    for (uint32_t i = 8; i < len; i++)
        if (b[i] != (unsigned char)(seq * 31u + i + kind))
            return 0;
    *seq_out = seq;
    return 1;
}

static void attach(shmbox_t *sb)
{
    int rc;
    while ((rc = shmbox_open(sb, region, 5000)) != 0) {
        fprintf(stderr, "soak: open: %s (%s)\n", shmbox_strerror(rc), shmbox_error_detail(sb));
        _exit(3);
    }
}

static void producer(int kind)
{
    shmbox_t sb;
    attach(&sb);
    unsigned char buf[SHMBOX_MSG_SIZE];
    while (!sh->stop_producers) {
        uint32_t seq = sh->next[kind];
        if (seq >= MAXSEQ) {
            msleep(10);
            continue;
        }
        if (kind == PROD_COPY) {
            uint32_t len = copy_len(seq);
            fill(buf, len, PROD_COPY, seq);
            sh->attempt[kind] = seq;
            sh->sending[kind] = 1;
            int rc = shmbox_send(&sb, 0, buf, len, 200);
            if (rc == 0)
                sh->next[kind] = seq + 1u;
            sh->sending[kind] = 0;
            if (rc != 0 && rc != -ETIMEDOUT) {
                fprintf(stderr, "soak: send: %s\n", shmbox_strerror(rc));
                _exit(4);
            }
        } else {
            uint32_t len = slot_len(seq);
            shmbox_slot_t s;
            int rc = shmbox_slot_alloc(&sb, len, &s, 200);
            if (rc == -ETIMEDOUT)
                continue;
            if (rc != 0) {
                fprintf(stderr, "soak: alloc: %s\n", shmbox_strerror(rc));
                _exit(4);
            }
            fill(shmbox_slot_ptr(&sb, s), len, PROD_SLOT, seq);
            sh->attempt[kind] = seq;
            sh->sending[kind] = 1;
            rc = shmbox_send_slot(&sb, 1, s, len, 200);
            if (rc == 0)
                sh->next[kind] = seq + 1u;
            sh->sending[kind] = 0;
            if (rc != 0) {
                if (rc != -ETIMEDOUT) {
                    fprintf(stderr, "soak: send_slot: %s\n", shmbox_strerror(rc));
                    _exit(4);
                }
                shmbox_slot_free(&sb, s);
            }
        }
    }
    shmbox_close(&sb);
    _exit(0);
}

static void consumer(int kind)
{
    shmbox_t sb;
    attach(&sb);
    int c = kind - CONS_COPY;
    unsigned char buf[SHMBOX_MSG_SIZE];
    for (;;) {
        uint32_t seq = 0;
        sh->in_recv[c] = 1;
        if (kind == CONS_COPY) {
            int rc = shmbox_recv(&sb, 0, buf, sizeof(buf), 50);
            if (rc >= 0) {
                if (valid(buf, (uint32_t)rc, PROD_COPY, &seq))
                    sh->seen[PROD_COPY][seq]++;
                else
                    __atomic_fetch_add(&sh->corrupt, 1u, __ATOMIC_RELAXED);
                __atomic_fetch_add(&sh->received, 1u, __ATOMIC_RELAXED);
            } else if (rc == -ETIMEDOUT) {
                sh->in_recv[c] = 0;
                if (sh->stop_consumers)
                    break;
            } else {
                fprintf(stderr, "soak: recv: %s\n", shmbox_strerror(rc));
                _exit(4);
            }
        } else {
            shmbox_slot_t s;
            size_t len;
            int rc = shmbox_recv_slot(&sb, 1, &s, &len, 50);
            if (rc == 0) {
                unsigned char *p = shmbox_slot_ptr(&sb, s);
                if (p != NULL && valid(p, (uint32_t)len, PROD_SLOT, &seq))
                    sh->seen[PROD_SLOT][seq]++;
                else
                    __atomic_fetch_add(&sh->corrupt, 1u, __ATOMIC_RELAXED);
                __atomic_fetch_add(&sh->received, 1u, __ATOMIC_RELAXED);
                if (shmbox_slot_free(&sb, s) != 0)
                    __atomic_fetch_add(&sh->corrupt, 1u, __ATOMIC_RELAXED);
            } else if (rc == -ETIMEDOUT) {
                sh->in_recv[c] = 0;
                if (sh->stop_consumers)
                    break;
            } else {
                fprintf(stderr, "soak: recv_slot: %s\n", shmbox_strerror(rc));
                _exit(4);
            }
        }
        sh->in_recv[c] = 0;
    }
    shmbox_close(&sb);
    _exit(0);
}

static pid_t spawn(int role)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(1);
    }
    if (pid == 0) {
        if (role < CONS_COPY)
            producer(role);
        consumer(role);
    }
    return pid;
}

static int join(pid_t pid)
{
    int st;
    for (int i = 0; i < 20000; i++) {
        if (waitpid(pid, &st, WNOHANG) == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        msleep(1);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    return -1;
}

int main(int argc, char **argv)
{
    unsigned kills_wanted = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 250u;
    unsigned max_s = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 110u;
    unsigned seed = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : (unsigned)time(NULL);
    srand(seed);
    setvbuf(stdout, NULL, _IOLBF, 0);

    sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    static uint32_t lost_by_sender[2][MAX_LOST];
    uint32_t n_lost_by_sender[2] = {0, 0};
    unsigned consumer_kills_in_recv = 0, kills[NROLES] = {0};

    snprintf(region, sizeof(region), "%s", shmbox_test_name("soak"));
    shmbox_t sb;
    int rc = shmbox_create(&sb, region);
    if (rc != 0) {
        fprintf(stderr, "soak: create: %s\n", shmbox_strerror(rc));
        return 1;
    }
    printf("soak: seed %u, %u kills wanted, at most %u s\n", seed, kills_wanted, max_s);

    pid_t pid[NROLES];
    for (int r = 0; r < NROLES; r++)
        pid[r] = spawn(r);
    uint64_t t0 = shmbox_test_now_ms();
    unsigned total_kills = 0;
    while (total_kills < kills_wanted && shmbox_test_now_ms() - t0 < (uint64_t)max_s * 1000u) {
        msleep(1u + (unsigned)rand() % 25u);
        int r = rand() % NROLES;
        kill(pid[r], SIGKILL);
        waitpid(pid[r], NULL, 0);
        total_kills++;
        kills[r]++;
        if (r < CONS_COPY) {
            /* The message it was sending may or may not have gone out:
             * record it, and let the next incarnation use a fresh number. */
            if (sh->sending[r] || sh->attempt[r] == sh->next[r]) {
                uint32_t seq = sh->attempt[r];
                if (sh->next[r] == seq) {
                    if (n_lost_by_sender[r] < MAX_LOST)
                        lost_by_sender[r][n_lost_by_sender[r]++] = seq;
                    sh->next[r] = seq + 1u;
                }
            }
            sh->sending[r] = 0;
        } else if (sh->in_recv[r - CONS_COPY]) {
            consumer_kills_in_recv++;
            sh->in_recv[r - CONS_COPY] = 0;
        }
        if (total_kills % 50u == 0)
            (void)shmbox_reclaim(&sb);
        pid[r] = spawn(r);
    }
    double secs = (double)(shmbox_test_now_ms() - t0) / 1000.0;

    /* Wind down: producers stop, consumers drain, then stop. */
    int failures = 0;
    sh->stop_producers = 1;
    for (int r = 0; r < CONS_COPY; r++)
        if (join(pid[r]) != 0) {
            printf("FAIL: producer %d exited badly\n", r);
            failures++;
        }
    struct shmbox_stat st;
    for (int i = 0; i < 10000; i++) {
        if (shmbox_stat(&sb, &st) == 0 && st.mbox[0].count == 0 && st.mbox[1].count == 0)
            break;
        msleep(1);
    }
    sh->stop_consumers = 1;
    for (int r = CONS_COPY; r < NROLES; r++)
        if (join(pid[r]) != 0) {
            printf("FAIL: consumer %d exited badly\n", r);
            failures++;
        }

    /* Account for every message. */
    uint64_t sent = 0, dup = 0, missing_sender = 0, missing_other = 0, delivered_in_flight = 0;
    for (int k = 0; k < 2; k++) {
        uint32_t li = 0;
        for (uint32_t seq = 0; seq < sh->next[k]; seq++) {
            int in_flight = li < n_lost_by_sender[k] && lost_by_sender[k][li] == seq;
            if (in_flight)
                li++;
            sent++;
            if (sh->seen[k][seq] > 1)
                dup++;
            if (sh->seen[k][seq] == 0) {
                if (in_flight)
                    missing_sender++;
                else
                    missing_other++;
            } else if (in_flight) {
                delivered_in_flight++;
            }
        }
    }

    /* The mailboxes still work. */
    unsigned char buf[SHMBOX_MSG_SIZE];
    int works = shmbox_send(&sb, 0, "ping", 4, 1000) == 0 && shmbox_recv(&sb, 0, buf, sizeof(buf), 1000) == 4;
    shmbox_slot_t s = 0, s2 = 0;
    size_t len = 0;
    works = works && shmbox_slot_alloc(&sb, 100, &s, 1000) == 0 && shmbox_send_slot(&sb, 1, s, 100, 1000) == 0 &&
            shmbox_recv_slot(&sb, 1, &s2, &len, 1000) == 0 && s2 == s && len == 100 &&
            shmbox_slot_free(&sb, s2) == 0;

    int reclaimed = shmbox_reclaim(&sb);
    uint32_t used = 0, queued = 0;
    rc = shmbox_stat(&sb, &st);
    for (unsigned p = 0; p < st.pool_count; p++)
        used += st.pool[p].used;
    for (unsigned m = 0; m < st.mbox_count; m++)
        queued += st.mbox[m].count;

    printf("soak: %.1f s, %u kills (producers %u+%u, consumers %u+%u; %u consumers killed inside a receive)\n",
           secs, total_kills, kills[PROD_COPY], kills[PROD_SLOT], kills[CONS_COPY], kills[CONS_SLOT],
           consumer_kills_in_recv);
    printf("soak: lock recoveries %u, slots reclaimed at the end %d, attached %u\n", st.recoveries, reclaimed,
           st.attached);
    printf("soak: messages sent %llu (copied %u, slots %u), received %llu\n", (unsigned long long)sent,
           sh->next[0], sh->next[1], (unsigned long long)sh->received);
    printf("soak: lost %llu while their sender was killed sending (%llu such in-flight messages arrived),"
           " %llu taken by a killed consumer\n",
           (unsigned long long)missing_sender, (unsigned long long)delivered_in_flight,
           (unsigned long long)missing_other);
    printf("soak: duplicated %llu, corrupted %u, slots in use after reclaim %u, queued %u, mailboxes work: %s\n",
           (unsigned long long)dup, sh->corrupt, used, queued, works ? "yes" : "NO");

    if (rc != 0 || total_kills < kills_wanted) {
        printf("FAIL: only %u of %u kills in %u s\n", total_kills, kills_wanted, max_s);
        failures++;
    }
    if (dup != 0 || sh->corrupt != 0) {
        printf("FAIL: duplicated or corrupted messages\n");
        failures++;
    }
    if (missing_other > consumer_kills_in_recv) {
        printf("FAIL: %llu messages lost that no killed process was handling (at most %u explained)\n",
               (unsigned long long)missing_other, consumer_kills_in_recv);
        failures++;
    }
    if (!works || used != 0 || queued != 0 || st.attached != 1) {
        printf("FAIL: mailboxes broken or slots leaked\n");
        failures++;
    }
    shmbox_close(&sb);
    shmbox_unlink(region);
    printf("soak: %s\n", failures == 0 ? "PASS" : "FAIL");
    return failures == 0 ? 0 : 1;
}
