// SPDX-License-Identifier: MIT
/*
 * iceoryx (Eclipse, C binding) as a benchmark mechanism: one publisher /
 * subscriber pair per direction, zero-copy: the sender loans a chunk in
 * RouDi's shared memory, writes the message into it and publishes it; the
 * receiver takes the chunk, reads it and releases it.
 *   iox-busy  the receiver polls take_chunk (the lowest latency it offers)
 *   iox-ws    the receiver sleeps in a WaitSet until data arrives
 * Needs a running RouDi (bench/run.sh starts one with bench/roudi.toml).
 * iceoryx's runtime is one per process and must not be inherited over
 * fork(), so both sides of a round trip run in fresh children (CAP_FRESH).
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <iceoryx_binding_c/log.h>
#include <iceoryx_binding_c/publisher.h>
#include <iceoryx_binding_c/runtime.h>
#include <iceoryx_binding_c/subscriber.h>
#include <iceoryx_binding_c/wait_set.h>

#include "bench.h"

#define IOX_CONNECT_MS 10000 /* how long attach waits for both directions to connect */

struct iox_ctx {
    char instance[48];
    int waitset;
    iox_pub_storage_t pub_storage;
    iox_sub_storage_t sub_storage;
    iox_ws_storage_t ws_storage;
    iox_pub_t pub; /* this side's direction */
    iox_sub_t sub; /* the other direction */
    iox_ws_t ws;
};

static void relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

static int setup(void **ctx, int waitset)
{
    static unsigned counter;
    struct iox_ctx *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return -1;
    snprintf(c->instance, sizeof(c->instance), "rtt-%d-%u", (int)getpid(), counter++);
    c->waitset = waitset;
    *ctx = c;
    return 0;
}

static int busy_setup(void **ctx, unsigned nprod)
{
    (void)nprod;
    return setup(ctx, 0);
}

static int ws_setup(void **ctx, unsigned nprod)
{
    (void)nprod;
    return setup(ctx, 1);
}

static int attach(void *ctx)
{
    struct iox_ctx *c = ctx;
    char name[64];
    const char *dir_name[2] = {"ping", "pong"};
    snprintf(name, sizeof(name), "shmbox-bench-%d", (int)getpid());
    iox_set_loglevel(Iceoryx_LogLevel_Warn);
    iox_runtime_init(name);

    iox_pub_options_t po;
    iox_pub_options_init(&po);
    po.subscriberTooSlowPolicy = ConsumerTooSlowPolicy_WAIT_FOR_CONSUMER;
    c->pub = iox_pub_init(&c->pub_storage, "shmbox-bench", c->instance, dir_name[bench_side], &po);
    iox_sub_options_t so;
    iox_sub_options_init(&so);
    so.queueCapacity = 16;
    so.queueFullPolicy = QueueFullPolicy_BLOCK_PRODUCER;
    c->sub = iox_sub_init(&c->sub_storage, "shmbox-bench", c->instance, dir_name[1u - bench_side], &so);
    if (c->waitset) {
        c->ws = iox_ws_init(&c->ws_storage);
        if (iox_ws_attach_subscriber_state(c->ws, c->sub, SubscriberState_HAS_DATA, 0, NULL) !=
            WaitSetResult_SUCCESS)
            return -1;
    }
    /* Connected both ways before the first message: iceoryx keeps no
     * history here, so a message published earlier would be lost. */
    for (int ms = 0; ms < IOX_CONNECT_MS; ms++) {
        if (iox_pub_has_subscribers(c->pub) && iox_sub_get_subscription_state(c->sub) == SubscribeState_SUBSCRIBED)
            return 0;
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    fprintf(stderr, "iceoryx: publisher and subscriber did not connect within %d ms\n", IOX_CONNECT_MS);
    return -1;
}

static int send_(void *ctx, unsigned dir, const void *msg)
{
    struct iox_ctx *c = ctx;
    void *chunk;
    (void)dir;
    if (iox_pub_loan_chunk(c->pub, &chunk, BENCH_MSG) != AllocationResult_SUCCESS)
        return -1;
    memcpy(chunk, msg, BENCH_MSG);
    iox_pub_publish_chunk(c->pub, chunk);
    return 0;
}

static int recv_(void *ctx, unsigned dir, void *buf)
{
    struct iox_ctx *c = ctx;
    const void *chunk;
    (void)dir;
    for (;;) {
        enum iox_ChunkReceiveResult r = iox_sub_take_chunk(c->sub, &chunk);
        if (r == ChunkReceiveResult_SUCCESS)
            break;
        if (r != ChunkReceiveResult_NO_CHUNK_AVAILABLE)
            return -1;
        if (c->waitset) {
            iox_notification_info_t info[1];
            uint64_t missed = 0;
            (void)iox_ws_wait(c->ws, info, 1, &missed);
        } else {
            relax();
        }
    }
    memcpy(buf, chunk, BENCH_MSG);
    iox_sub_release_chunk(c->sub, chunk);
    return 0;
}

static void detach(void *ctx)
{
    struct iox_ctx *c = ctx;
    if (c->waitset) {
        iox_ws_detach_subscriber_state(c->ws, c->sub, SubscriberState_HAS_DATA);
        iox_ws_deinit(c->ws);
    }
    iox_sub_deinit(c->sub);
    iox_pub_deinit(c->pub);
    /* No iox_runtime_shutdown(): with 2.0.3 it can race the runtime's
     * keep-alive thread, which then waits forever for RouDi's answer and
     * hangs the destructor that joins it. The destructor, run by exit(),
     * stops that thread first and signs off at RouDi. */
}

static void teardown(void *ctx)
{
    free(ctx);
}

const struct mech mech_iox_busy = {"iox-busy", CAP_RTT | CAP_FRESH, busy_setup, attach, send_, recv_, detach,
                                   teardown};
const struct mech mech_iox_ws = {"iox-ws", CAP_RTT | CAP_FRESH, ws_setup, attach, send_, recv_, detach, teardown};
