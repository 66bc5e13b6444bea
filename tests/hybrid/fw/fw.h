// SPDX-License-Identifier: MIT
/* The hybrid tests' firmware: board hooks (board.c), helpers (fw_util.c)
 * and its scenarios (fw_*.c), chosen by name on the command line that
 * qemu passes through semihosting (-append). */
#ifndef SHMBOX_HYBRID_FW_H
#define SHMBOX_HYBRID_FW_H

#include <stdint.h>

#include <shmbox/shmbox.h>

#include "hybrid.h"

/* The static port's hooks this firmware defines (board.c). */
uint64_t shmbox_static_clock_ns(void);
void shmbox_static_relax(void);
void shmbox_static_doorbell(void);

void fw_board_init(int doorbell);
uint64_t fw_now_ms(void);
uint64_t fw_now_us(void);
uint32_t fw_doorbells(void);

/* The region's name on this side (the static port maps its fixed address). */
#define FW_REGION "hybrid"

/* Failure: print it (semihosting) and end the board with status 1. */
_Noreturn void fw_fail(const char *what, long value);

/* Attach: create (1), open (0), or open-or-create (-1); fails the run on error. */
void fw_attach(shmbox_t *sb, int create);

/* Send a control message to Linux (waits up to 10 s). */
void fw_ctl(shmbox_t *sb, uint32_t kind, uint32_t a, uint32_t b);
/* Receive one control message from Linux, waiting up to @p ms. */
void fw_ctl_wait(shmbox_t *sb, struct hb_ctl *c, uint32_t kind, uint32_t ms);

/* Scenarios: argv after the name; each returns the exit status. */
int fw_own(shmbox_t *sb, int argc, char **argv);
int fw_traffic(shmbox_t *sb, int argc, char **argv);
int fw_many(shmbox_t *sb, int argc, char **argv);
int fw_mesh(shmbox_t *sb, int argc, char **argv);
int fw_crash(shmbox_t *sb, int argc, char **argv);
int fw_reattach(shmbox_t *sb, int argc, char **argv);
int fw_demo(shmbox_t *sb, int argc, char **argv);
int fw_echo(shmbox_t *sb, int argc, char **argv);

uint32_t fw_arg(int argc, char **argv, int i, uint32_t dflt);

#endif /* SHMBOX_HYBRID_FW_H */
