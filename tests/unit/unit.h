// SPDX-License-Identifier: MIT
/*
 * Helpers of the unit tests: a fixture that closes the handles and removes
 * the regions a test made even when it fails, names that are unique per
 * process, and the configured layout spelled from the CONFIG_SHMBOX_*
 * macros so every test adapts to the build's configuration.
 *
 * Port-agnostic: nothing here forks or needs a process id, so the same
 * tests run on every port (the runner does not fork either: a failed
 * assertion returns to the runner, which runs the teardown).
 */
#ifndef SHMBOX_UNIT_H
#define SHMBOX_UNIT_H

#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <shmbox/shmbox.h>

#include "support.h"

/* Handles a test may use; the teardown closes those left open. */
#define UT_HANDLES 4
extern shmbox_t ut_sb[UT_HANDLES];

/*
 * The failure detail names @p part; built without failure details
 * (CONFIG_SHMBOX_ERROR_DETAIL off, a small firmware) it is empty instead.
 */
#ifdef CONFIG_SHMBOX_ERROR_DETAIL
#define UT_DETAIL_HAS(text, part) \
    ck_assert_msg(strstr((text), (part)) != NULL, "detail \"%s\" lacks \"%s\"", (text), (part))
#else
#define UT_DETAIL_HAS(text, part) ck_assert_msg(*(text) == '\0', "detail \"%s\" without details", (text))
#endif

/* Upper slack for "a timeout returns within a sane bound": generous, the
 * tests also run under qemu-user and on a loaded 2-core machine. */
#define UT_SLACK_MS 5000u

/* A unique region name, remembered so the teardown removes the region. */
const char *ut_name(const char *tag);
/* Remember a name made elsewhere (for the teardown). */
void ut_track(const char *name);
/* ut_name(tag) + shmbox_create(sb, ...), asserted to succeed. */
const char *ut_create(shmbox_t *sb, const char *tag);

void ut_setup(void);
void ut_teardown(void);

/* Milliseconds on the port's clock (the clock the timeouts are kept on). */
uint64_t ut_now_ms(void);

/* Run the suite without forking (ports without fork), return the exit code. */
int ut_run(Suite *s);

/* A test case with the fixture and no Check timeout (the runner does not fork). */
TCase *ut_tcase(const char *name);

#define UT_RC(expr, want)                                                                           \
    do {                                                                                            \
        int ut_rc_ = (int)(expr);                                                                   \
        int ut_want_ = (int)(want);                                                                 \
        ck_assert_msg(ut_rc_ == ut_want_, "%s: got %d (%s), want %d (%s)", #expr, ut_rc_,           \
                      shmbox_strerror(ut_rc_), ut_want_, shmbox_strerror(ut_want_));               \
    } while (0)

/* elapsed (ms) is no earlier than asked and within the slack. */
#define UT_ELAPSED_OK(elapsed, asked)                                                               \
    ck_assert_msg((elapsed) >= (uint64_t)(asked) && (elapsed) <= (uint64_t)(asked) + UT_SLACK_MS,   \
                  "timeout of %u ms took %llu ms", (unsigned)(asked), (unsigned long long)(elapsed))

/* ---- the configured layout, from the generated config ------------------ */

#define UT_POOLS CONFIG_SHMBOX_POOL_COUNT

#if CONFIG_SHMBOX_POOL_COUNT > 1
#define UT_P1(x) , x
#else
#define UT_P1(x)
#endif
#if CONFIG_SHMBOX_POOL_COUNT > 2
#define UT_P2(x) , x
#else
#define UT_P2(x)
#endif
#if CONFIG_SHMBOX_POOL_COUNT > 3
#define UT_P3(x) , x
#else
#define UT_P3(x)
#endif
#if CONFIG_SHMBOX_POOL_COUNT > 4
#define UT_P4(x) , x
#else
#define UT_P4(x)
#endif
#if CONFIG_SHMBOX_POOL_COUNT > 5
#define UT_P5(x) , x
#else
#define UT_P5(x)
#endif
#if CONFIG_SHMBOX_POOL_COUNT > 6
#define UT_P6(x) , x
#else
#define UT_P6(x)
#endif
#if CONFIG_SHMBOX_POOL_COUNT > 7
#define UT_P7(x) , x
#else
#define UT_P7(x)
#endif

/* Slot size and count of each configured pool. */
extern const uint32_t ut_slot_size[UT_POOLS];
extern const uint32_t ut_slot_count[UT_POOLS];
/* Slots of all pools together. */
uint32_t ut_total_slots(void);

#endif
