// SPDX-License-Identifier: MIT
/*
 * When a call gives up: the one deadline type of the component.
 *
 * The public API takes int32_t timeout_ms (SHMBOX_FOREVER, SHMBOX_NO_WAIT
 * or milliseconds); each entry point checks it once and turns it into a
 * struct sbx_deadline once (sbx_deadline_from_ms(), or its two halves
 * sbx_timeout_valid() and sbx_deadline_of_valid()), and passes that down. The clock is read only when the call first has to wait, so
 * a call that never waits reads no clock.
 */
#ifndef SHMBOX_DEADLINE_H
#define SHMBOX_DEADLINE_H

#include <errno.h>
#include <stdint.h>

#include <shmbox/port.h>
#include <shmbox/shmbox.h>

/* Nanoseconds per millisecond, and @p ms milliseconds in nanoseconds
 * (64-bit: every time in the component is nanoseconds on the port clock). */
#define SHMBOX_NS_PER_MS UINT64_C(1000000)
#define SHMBOX_MS_NS(ms) ((uint64_t)(ms) * SHMBOX_NS_PER_MS)

/* The deadline of a SHMBOX_NO_WAIT call: a time that has always passed
 * (shmbox_port_now_ns() is never below 1), so the hot path reads no clock. */
#define SHMBOX_DEADLINE_NOW 1u

/* How long a SHMBOX_NO_WAIT call waits for a held lock before it gives up
 * with -EAGAIN (both cores). Locks are held for O(1) work; only a stalled,
 * reset or hostile holder keeps one this long. */
#define SHMBOX_LOCK_NOWAIT_NS SHMBOX_MS_NS(1000)

/* A deadline not computed yet: now + timeout_ms, taken on first need. */
#define SHMBOX_DEADLINE_LATER UINT64_MAX

/*
 * at: 0 (never), SHMBOX_DEADLINE_NOW, a time on the port clock, or
 * SHMBOX_DEADLINE_LATER (then timeout_ms says how far from the first look).
 */
struct sbx_deadline {
    uint64_t at;
    int32_t timeout_ms;
};

/* 1 if @p timeout_ms is a valid public timeout: SHMBOX_FOREVER, or not
 * negative (SHMBOX_NO_WAIT or milliseconds). */
static inline int sbx_timeout_valid(int32_t timeout_ms)
{
    return timeout_ms >= 0 || timeout_ms == SHMBOX_FOREVER;
}

/* The deadline of a valid public timeout: SHMBOX_FOREVER never,
 * SHMBOX_NO_WAIT now, else now + timeout_ms, left for later. Apart from
 * the check so that a fast path that may never wait checks first and
 * converts only where it may wait. */
static inline struct sbx_deadline sbx_deadline_of_valid(int32_t timeout_ms)
{
    struct sbx_deadline d;
    d.timeout_ms = timeout_ms;
    if (timeout_ms == SHMBOX_FOREVER)
        d.at = 0;
    else if (timeout_ms == SHMBOX_NO_WAIT)
        d.at = SHMBOX_DEADLINE_NOW;
    else
        d.at = SHMBOX_DEADLINE_LATER;
    return d;
}

/*
 * Check a public timeout and turn it into a deadline (the two above in
 * one, written out: the send and receive paths compile shorter so).
 * @retval 0, -EINVAL (negative timeout other than SHMBOX_FOREVER)
 */
static inline int sbx_deadline_from_ms(int32_t timeout_ms, struct sbx_deadline *d)
{
    d->timeout_ms = timeout_ms;
    if (timeout_ms == SHMBOX_FOREVER)
        d->at = 0;
    else if (timeout_ms < 0)
        return -EINVAL;
    else if (timeout_ms == SHMBOX_NO_WAIT)
        d->at = SHMBOX_DEADLINE_NOW;
    else
        d->at = SHMBOX_DEADLINE_LATER;
    return 0;
}

/* A deadline at port clock time @p at_ns (0: never). */
static inline struct sbx_deadline sbx_deadline_at(uint64_t at_ns)
{
    return (struct sbx_deadline){at_ns, 0};
}

/* No deadline. */
static inline struct sbx_deadline sbx_deadline_never(void)
{
    return sbx_deadline_at(0);
}

/* Compute a deadline left for later: now + timeout_ms (deadline.c: out
 * of line, as only a call that waits gets here). */
uint64_t sbx_deadline_start(struct sbx_deadline *d);

/* The time @p d stands for (0: never), computed now if it was left for later. */
static inline uint64_t sbx_deadline_ns(struct sbx_deadline *d)
{
    if (d->at == SHMBOX_DEADLINE_LATER)
        return sbx_deadline_start(d);
    return d->at;
}

/* 1 for a call that must not wait (SHMBOX_NO_WAIT): the one such test. */
static inline int sbx_deadline_nowait(const struct sbx_deadline *d)
{
    return d->at == SHMBOX_DEADLINE_NOW;
}

/* 1 if @p d has passed at port clock time @p now. */
static inline int sbx_deadline_reached(struct sbx_deadline *d, uint64_t now)
{
    uint64_t at = sbx_deadline_ns(d);
    return at != 0 && now >= at;
}

/* 1 if @p d has passed (the clock is read only if there is a deadline). */
static inline int sbx_deadline_passed(struct sbx_deadline *d)
{
    uint64_t at = sbx_deadline_ns(d);
    return at != 0 && shmbox_port_now_ns() >= at;
}

/* The earlier of @p d and the time @p until_ns (a bounded sleep's end). */
static inline uint64_t sbx_deadline_cap(struct sbx_deadline *d, uint64_t until_ns)
{
    uint64_t at = sbx_deadline_ns(d);
    return at != 0 && at < until_ns ? at : until_ns;
}

#endif /* SHMBOX_DEADLINE_H */
