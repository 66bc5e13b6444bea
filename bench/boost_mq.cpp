// Boost.Interprocess message_queue as a benchmark mechanism: one named
// queue per direction (64 messages of 64 bytes, in /dev/shm), created by
// the parent and opened by name in every other process, as a user would.
// send() copies into the queue, receive() out of it; both sleep on the
// queue's process-shared mutex and condition variables when they must.
#include <boost/interprocess/ipc/message_queue.hpp>
#include <cstdio>
#include <new>
#include <unistd.h>

extern "C" {
#include "bench.h"
}

namespace bip = boost::interprocess;

namespace {

const unsigned depth = 64;

struct bmq_ctx {
    char name[2][64];
    pid_t creator;
    bip::message_queue *q[2];
};

int bmq_setup(void **ctx, unsigned)
{
    static unsigned counter;
    bmq_ctx *c = new (std::nothrow) bmq_ctx();
    if (c == nullptr)
        return -1;
    c->creator = getpid();
    try {
        for (int d = 0; d < 2; d++) {
            std::snprintf(c->name[d], sizeof(c->name[d]), "shmbox-bench-bmq-%d-%u-%d", (int)getpid(), counter, d);
            bip::message_queue::remove(c->name[d]);
            c->q[d] = new bip::message_queue(bip::create_only, c->name[d], depth, BENCH_MSG);
        }
    } catch (const bip::interprocess_exception &e) {
        std::fprintf(stderr, "boost message_queue: %s\n", e.what());
        return -1;
    }
    counter++;
    *ctx = c;
    return 0;
}

int bmq_attach(void *ctx)
{
    bmq_ctx *c = static_cast<bmq_ctx *>(ctx);
    if (getpid() == c->creator)
        return 0;
    try {
        // The creator's objects came over fork(); open the queues afresh.
        for (int d = 0; d < 2; d++)
            c->q[d] = new bip::message_queue(bip::open_only, c->name[d]);
    } catch (const bip::interprocess_exception &e) {
        std::fprintf(stderr, "boost message_queue: %s\n", e.what());
        return -1;
    }
    return 0;
}

int bmq_send(void *ctx, unsigned dir, const void *msg)
{
    try {
        static_cast<bmq_ctx *>(ctx)->q[dir]->send(msg, BENCH_MSG, 0);
    } catch (const bip::interprocess_exception &) {
        return -1;
    }
    return 0;
}

int bmq_recv(void *ctx, unsigned dir, void *buf)
{
    try {
        bip::message_queue::size_type got;
        unsigned prio;
        static_cast<bmq_ctx *>(ctx)->q[dir]->receive(buf, BENCH_MSG, got, prio);
        return got == BENCH_MSG ? 0 : -1;
    } catch (const bip::interprocess_exception &) {
        return -1;
    }
}

void bmq_detach(void *ctx)
{
    bmq_ctx *c = static_cast<bmq_ctx *>(ctx);
    if (getpid() == c->creator)
        return;
    for (int d = 0; d < 2; d++)
        delete c->q[d];
}

void bmq_teardown(void *ctx)
{
    bmq_ctx *c = static_cast<bmq_ctx *>(ctx);
    for (int d = 0; d < 2; d++) {
        delete c->q[d];
        bip::message_queue::remove(c->name[d]);
    }
    delete c;
}

} // namespace

extern "C" const struct mech mech_boost_mq = {"boost-mq", CAP_RTT | CAP_STREAM | CAP_MPSC, bmq_setup, bmq_attach,
                                             bmq_send, bmq_recv, bmq_detach, bmq_teardown};
