// SPDX-License-Identifier: MIT
/*
 * hybrid_host REGION ROLE ARGS...: one Linux process of a hybrid test
 * (tests/hybrid/run.sh starts the board and these). REGION is what this
 * build's shmbox_open() takes for the board's RAM: "/dev/shm/FILE@0x100000".
 * Exit status 0 when every check of the role passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "host.h"

const char *hx_region;
static const char *role_name = "?";

_Noreturn void hx_fail(const char *what, long value)
{
    fprintf(stderr, "hybrid_host %s: FAIL: %s (%ld: %s)\n", role_name, what, value,
            value < 0 ? shmbox_strerror((int)value) : "");
    exit(1);
}

uint64_t hx_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void hx_sleep_ms(unsigned ms)
{
    struct timespec ts = {(time_t)(ms / 1000u), (long)(ms % 1000u) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

int32_t hx_step_ms(void)
{
    const char *s = getenv("HB_STEP_MS");
    return s != NULL ? (int32_t)atoi(s) : 1000;
}

/* One open, as the API documents it: it waits (here up to 30 s) for the
 * region to appear in the board's memory and for its creator, a firmware
 * booting meanwhile, to finish. */
void hx_open(shmbox_t *sb)
{
    int rc = shmbox_open(sb, hx_region, 30000);
    if (rc < 0) {
        fprintf(stderr, "hybrid_host: open %s: %s\n", hx_region, shmbox_error_detail(sb));
        hx_fail("open", rc);
    }
}

void hx_create(shmbox_t *sb)
{
    int rc = shmbox_create(sb, hx_region);
    if (rc < 0) {
        fprintf(stderr, "hybrid_host: create %s: %s\n", hx_region, shmbox_error_detail(sb));
        hx_fail("create", rc);
    }
}

void hx_ctl_wait(shmbox_t *sb, struct hb_ctl *c, uint32_t kind, uint32_t ms)
{
    uint64_t t0 = hx_now_us();
    for (;;) {
        int rc = shmbox_recv(sb, HB_MB_CTL_LX, c, sizeof(*c), 50);
        if (rc == (int)sizeof(*c)) {
            if (c->kind == kind)
                return;
            fprintf(stderr, "hybrid_host: control message %u (%u, %u) while waiting for %u\n", (unsigned)c->kind,
                    (unsigned)c->a, (unsigned)c->b, (unsigned)kind);
            hx_fail("unexpected control message", (long)c->kind);
        }
        if (rc != -ETIMEDOUT && rc != -EAGAIN)
            hx_fail("control receive", rc);
        if (hx_now_us() - t0 > (uint64_t)ms * 1000u)
            hx_fail("no control message from the firmware in time (ms)", (long)ms);
    }
}

void hx_ctl(shmbox_t *sb, uint32_t kind, uint32_t a, uint32_t b)
{
    struct hb_ctl c = {kind, a, b, 0};
    int rc = shmbox_send(sb, HB_MB_CTL_FW, &c, sizeof(c), 10000);
    if (rc < 0)
        hx_fail("control send", rc);
}

int hx_stat_lists_firmware(unsigned id, int show)
{
    const char *cli = getenv("HB_CLI");
    if (cli == NULL)
        hx_fail("HB_CLI (the shmbox tool) not set", 0);
    char cmd[512], line[256], want[32];
    snprintf(cmd, sizeof(cmd), "'%s' stat '%s' 2>&1", cli, hx_region);
    snprintf(want, sizeof(want), "firmware %u", id);
    FILE *p = popen(cmd, "r");
    if (p == NULL)
        hx_fail("popen", -errno);
    int found = 0;
    while (fgets(line, sizeof(line), p) != NULL) {
        if (show)
            fputs(line, stdout);
        found |= strstr(line, want) != NULL;
    }
    int st = pclose(p);
    return st == 0 && found ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: hybrid_host REGION ROLE ARGS...\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    hx_region = argv[1];
    role_name = argv[2];
    int rc = hx_role_streams(argv[2], argc - 3, argv + 3);
    if (rc == -2)
        rc = hx_role_life(argv[2], argc - 3, argv + 3);
    if (rc == -2)
        rc = hx_role_demo(argv[2], argc - 3, argv + 3);
    if (rc == -2) {
        fprintf(stderr, "hybrid_host: unknown role %s\n", argv[2]);
        return 2;
    }
    return rc;
}
