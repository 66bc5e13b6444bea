// SPDX-License-Identifier: MIT
/*
 * shmbox benchmarks: what every benchmark program shares.
 *
 * A mechanism moves fixed 64-byte messages between processes in two
 * directions: dir 0 from side A (the producer) to side B (the consumer),
 * dir 1 back. Objects are created in the parent before fork(); every
 * process then attaches on its own.
 */
#ifndef SHMBOX_BENCH_H
#define SHMBOX_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define BENCH_MSG 64u

/* What a mechanism can take part in. */
#define CAP_RTT 1u    /* (a) round trip */
#define CAP_STREAM 2u /* (b) one producer, one consumer */
#define CAP_MPSC 4u   /* (c) several producers, one consumer */
/* Both sides run in fresh child processes, the parent never attaches: for
 * a library whose per-process runtime must not be inherited over fork(). */
#define CAP_FRESH 8u

struct mech {
    const char *key;   /* short name used in result files */
    unsigned caps;
    /* Create the objects (parent, before fork). */
    int (*setup)(void **ctx, unsigned nprod);
    /* In each process after fork (also in the parent). */
    int (*attach)(void *ctx);
    int (*send)(void *ctx, unsigned dir, const void *msg);
    int (*recv)(void *ctx, unsigned dir, void *buf);
    /* In each process before it stops using ctx. */
    void (*detach)(void *ctx);
    /* Parent, after every child has exited. */
    void (*teardown)(void *ctx);
};

/* The side the calling process plays, set before attach(): 0 sends on
 * dir 0 and receives on dir 1 (the producer), 1 the other way round. */
extern unsigned bench_side;

extern const struct mech mech_pipe, mech_unix, mech_mq, mech_msgq, mech_condvar, mech_futex, mech_busy_line,
    mech_busy_ring, mech_busy_locked;
/* Boost.Interprocess message_queue (boost_mq.cpp), iceoryx with busy
 * polling and with a WaitSet (iceoryx.c; only when RouDi runs). */
extern const struct mech mech_boost_mq, mech_iox_busy, mech_iox_ws;
/* The shmbox mechanism; its key names the variant (set by main). */
extern struct mech mech_shmbox;

/* ---- main.c: the run's result rows ---------------------------------- */
extern unsigned scale_div;                 /* --quick, --rounds: iteration divisor */
uint64_t iters(uint64_t n);                /* n / scale_div, at least 10 */
void fill(unsigned char *m, uint64_t i);   /* a message carrying i */
void *xmalloc(size_t n);
/* One run of a row: its samples (ns / div), message count and duration. */
void record(const char *scen, const char *mech, const char *param, const uint64_t *s, uint64_t n, double div,
            double count, double secs);
/* The CPU time both processes of a run spent on @p count operations. */
void record_cpu(const char *scen, const char *mech, const char *param, double cpu_secs, double count);

/* ---- rtt.c: (a) round trip ------------------------------------------- */
/* @p scen names the row ("a"; "L", "F" under load), @p n the samples;
 * @p fifo > 0: both processes at SCHED_FIFO of that priority. */
void scenario_rtt(const struct mech *m, const char *scen, uint64_t n, int fifo);

/* ---- slots.c: (d) slot hand-off, (e) slot alloc+free ----------------- */
void scenario_bulk(const struct mech *m, int peers);
void scenario_alloc(const struct mech *m, int peers);

/* ---- util.c --------------------------------------------------------- */
uint64_t now_ns(void);
double cpu_secs(void);             /* this process's CPU time, every thread */
void set_fifo(int prio);           /* SCHED_FIFO at prio (0: back to normal); exits if refused */
void pin_cpu(int cpu);             /* best effort; -1: every CPU */
void *shared_alloc(size_t bytes);  /* MAP_SHARED | MAP_ANONYMOUS, zeroed; exits on failure */
void shared_free(void *p, size_t bytes);
void die(const char *what);        /* perror + exit(2) */

struct stats {
    uint64_t n;
    double p50, p99, p999, max; /* ns */
};
/* Sorts @p s in place. */
struct stats stats_of(uint64_t *s, uint64_t n);
/* Value at quantile q (0..1) of sorted samples. */
double quantile(const uint64_t *sorted, uint64_t n, double q);

/* A start line for forked processes: every child says ready, the parent says go. */
struct barrier {
    int ready[2];
    int go[2];
};
void barrier_init(struct barrier *b);
void barrier_child(struct barrier *b);             /* child: ready, then wait for go */
void barrier_parent(struct barrier *b, unsigned n); /* parent: wait for n readies, go */
void barrier_close(struct barrier *b);
/* Wait for every child; exits if one failed. */
void reap(unsigned n);

#endif
