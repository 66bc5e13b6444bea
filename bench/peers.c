// SPDX-License-Identifier: MIT
/*
 * The mechanisms shmbox is compared with, each as a user would write it:
 * pipe, unix seqpacket socket, POSIX message queue, SysV message queue,
 * shared memory with a process-shared pthread mutex + condition variables.
 * The floors are in floors.c, the libraries in boost_mq.cpp and iceoryx.c.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

static int read_full(int fd, void *buf, size_t n)
{
    unsigned char *p = buf;
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

static int write_full(int fd, const void *buf, size_t n)
{
    const unsigned char *p = buf;
    while (n > 0) {
        ssize_t r = write(fd, p, n);
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

static void no_op(void *ctx)
{
    (void)ctx;
}

static int attach_none(void *ctx)
{
    (void)ctx;
    return 0;
}

/* ---- pipe: one per direction; 64-byte writes are atomic (< PIPE_BUF) ---- */
struct fds {
    int fd[2][2];
};

static int pipe_setup(void **ctx, unsigned nprod)
{
    (void)nprod;
    struct fds *f = calloc(1, sizeof(*f));
    if (f == NULL || pipe(f->fd[0]) != 0 || pipe(f->fd[1]) != 0)
        return -1;
    *ctx = f;
    return 0;
}

static int pipe_send(void *ctx, unsigned dir, const void *msg)
{
    return write_full(((struct fds *)ctx)->fd[dir][1], msg, BENCH_MSG);
}

static int pipe_recv(void *ctx, unsigned dir, void *buf)
{
    return read_full(((struct fds *)ctx)->fd[dir][0], buf, BENCH_MSG);
}

static void fds_teardown(void *ctx)
{
    struct fds *f = ctx;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            if (f->fd[i][j] > 0)
                close(f->fd[i][j]);
    free(f);
}

const struct mech mech_pipe = {"pipe", CAP_RTT | CAP_STREAM | CAP_MPSC, pipe_setup, attach_none, pipe_send,
                               pipe_recv, no_op, fds_teardown};

/* ---- unix socket: one SOCK_SEQPACKET pair, side A writes fd 0 ---------- */
static int unix_setup(void **ctx, unsigned nprod)
{
    (void)nprod;
    struct fds *f = calloc(1, sizeof(*f));
    if (f == NULL || socketpair(AF_UNIX, SOCK_SEQPACKET, 0, f->fd[0]) != 0)
        return -1;
    f->fd[1][0] = f->fd[1][1] = -1;
    *ctx = f;
    return 0;
}

static int unix_send(void *ctx, unsigned dir, const void *msg)
{
    struct fds *f = ctx;
    return send(f->fd[0][dir], msg, BENCH_MSG, 0) == (ssize_t)BENCH_MSG ? 0 : -1;
}

static int unix_recv(void *ctx, unsigned dir, void *buf)
{
    struct fds *f = ctx;
    return recv(f->fd[0][1u - dir], buf, BENCH_MSG, 0) == (ssize_t)BENCH_MSG ? 0 : -1;
}

const struct mech mech_unix = {"unix", CAP_RTT | CAP_STREAM | CAP_MPSC, unix_setup, attach_none, unix_send,
                               unix_recv, no_op, fds_teardown};

/* ---- POSIX mq: one queue per direction, unlinked once open ------------- */
struct mqs {
    mqd_t q[2];
};

static int mq_setup(void **ctx, unsigned nprod)
{
    (void)nprod;
    struct mqs *m = calloc(1, sizeof(*m));
    struct mq_attr attr = {0};
    attr.mq_maxmsg = 10; /* the default limit for unprivileged users */
    attr.mq_msgsize = BENCH_MSG;
    if (m == NULL)
        return -1;
    for (int d = 0; d < 2; d++) {
        char name[64];
        snprintf(name, sizeof(name), "/shmbox-bench-%d-%d", (int)getpid(), d);
        m->q[d] = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
        if (m->q[d] == (mqd_t)-1)
            return -1;
        mq_unlink(name);
    }
    *ctx = m;
    return 0;
}

static int mq_send_(void *ctx, unsigned dir, const void *msg)
{
    return mq_send(((struct mqs *)ctx)->q[dir], msg, BENCH_MSG, 0);
}

static int mq_recv_(void *ctx, unsigned dir, void *buf)
{
    return mq_receive(((struct mqs *)ctx)->q[dir], buf, BENCH_MSG, NULL) == (ssize_t)BENCH_MSG ? 0 : -1;
}

static void mq_teardown(void *ctx)
{
    struct mqs *m = ctx;
    mq_close(m->q[0]);
    mq_close(m->q[1]);
    free(m);
}

const struct mech mech_mq = {"mq", CAP_RTT | CAP_STREAM | CAP_MPSC, mq_setup, attach_none, mq_send_, mq_recv_,
                             no_op, mq_teardown};

/* ---- SysV msgq: one queue per direction -------------------------------- */
struct msgqs {
    int id[2];
};
struct sysv_msg {
    long mtype;
    char text[BENCH_MSG];
};

static int msgq_setup(void **ctx, unsigned nprod)
{
    (void)nprod;
    struct msgqs *m = calloc(1, sizeof(*m));
    if (m == NULL)
        return -1;
    for (int d = 0; d < 2; d++)
        if ((m->id[d] = msgget(IPC_PRIVATE, IPC_CREAT | 0600)) < 0)
            return -1;
    *ctx = m;
    return 0;
}

static int msgq_send(void *ctx, unsigned dir, const void *msg)
{
    struct sysv_msg m;
    m.mtype = 1;
    memcpy(m.text, msg, BENCH_MSG);
    return msgsnd(((struct msgqs *)ctx)->id[dir], &m, BENCH_MSG, 0);
}

static int msgq_recv(void *ctx, unsigned dir, void *buf)
{
    struct sysv_msg m;
    if (msgrcv(((struct msgqs *)ctx)->id[dir], &m, BENCH_MSG, 0, 0) != (ssize_t)BENCH_MSG)
        return -1;
    memcpy(buf, m.text, BENCH_MSG);
    return 0;
}

static void msgq_teardown(void *ctx)
{
    struct msgqs *m = ctx;
    msgctl(m->id[0], IPC_RMID, NULL);
    msgctl(m->id[1], IPC_RMID, NULL);
    free(m);
}

const struct mech mech_msgq = {"msgq", CAP_RTT | CAP_STREAM | CAP_MPSC, msgq_setup, attach_none, msgq_send,
                               msgq_recv, no_op, msgq_teardown};

/* ---- shared memory + process-shared pthread mutex and condvars --------- */
#define CV_DEPTH 64u
struct cv_queue {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    uint32_t head, tail;
    unsigned char buf[CV_DEPTH][BENCH_MSG];
};

static int cv_setup(void **ctx, unsigned nprod)
{
    (void)nprod;
    struct cv_queue *q = shared_alloc(2 * sizeof(*q));
    pthread_mutexattr_t ma;
    pthread_condattr_t ca;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
    pthread_condattr_init(&ca);
    pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
    for (int d = 0; d < 2; d++) {
        pthread_mutex_init(&q[d].mu, &ma);
        pthread_cond_init(&q[d].not_empty, &ca);
        pthread_cond_init(&q[d].not_full, &ca);
    }
    *ctx = q;
    return 0;
}

static int cv_send(void *ctx, unsigned dir, const void *msg)
{
    struct cv_queue *q = (struct cv_queue *)ctx + dir;
    pthread_mutex_lock(&q->mu);
    while (q->tail - q->head == CV_DEPTH)
        pthread_cond_wait(&q->not_full, &q->mu);
    memcpy(q->buf[q->tail % CV_DEPTH], msg, BENCH_MSG);
    q->tail++;
    pthread_cond_signal(&q->not_empty);
    pthread_mutex_unlock(&q->mu);
    return 0;
}

static int cv_recv(void *ctx, unsigned dir, void *buf)
{
    struct cv_queue *q = (struct cv_queue *)ctx + dir;
    pthread_mutex_lock(&q->mu);
    while (q->tail == q->head)
        pthread_cond_wait(&q->not_empty, &q->mu);
    memcpy(buf, q->buf[q->head % CV_DEPTH], BENCH_MSG);
    q->head++;
    pthread_cond_signal(&q->not_full);
    pthread_mutex_unlock(&q->mu);
    return 0;
}

static void cv_teardown(void *ctx)
{
    shared_free(ctx, 2 * sizeof(struct cv_queue));
}

const struct mech mech_condvar = {"condvar", CAP_RTT | CAP_STREAM | CAP_MPSC, cv_setup, attach_none, cv_send,
                                  cv_recv, no_op, cv_teardown};
