// SPDX-License-Identifier: MIT
/* The hybrid tests' Linux program: roles run by run.sh next to the board. */
#ifndef SHMBOX_HYBRID_HOST_H
#define SHMBOX_HYBRID_HOST_H

#include <stdint.h>

#include <shmbox/shmbox.h>

#include "hybrid.h"

/* The region's name (the memory file @ the region's offset). */
extern const char *hx_region;

/* Open the region, retrying for up to 30 s while the firmware has not
 * made it yet; exits 1 on failure. */
void hx_open(shmbox_t *sb);
/* Create it; exits 1 on failure. */
void hx_create(shmbox_t *sb);

/* Failure: print (with the role's name) and exit 1. */
_Noreturn void hx_fail(const char *what, long value);
uint64_t hx_now_us(void);
void hx_sleep_ms(unsigned ms);
/* The timeout of each blocking step (HB_STEP_MS, default 1000). */
int32_t hx_step_ms(void);

/* Next control message from the firmware (HB_MB_CTL_LX) of kind @p kind,
 * within @p ms; exits on another kind or timeout. */
void hx_ctl_wait(shmbox_t *sb, struct hb_ctl *c, uint32_t kind, uint32_t ms);
void hx_ctl(shmbox_t *sb, uint32_t kind, uint32_t a, uint32_t b);

/* Run the `shmbox stat` tool (path in HB_CLI) on the region; 0 when its
 * output lists "firmware <id>". */
int hx_stat_lists_firmware(unsigned id, int show);

int hx_role_streams(const char *role, int argc, char **argv);
int hx_role_life(const char *role, int argc, char **argv);
int hx_role_demo(const char *role, int argc, char **argv);

#endif /* SHMBOX_HYBRID_HOST_H */
