// SPDX-License-Identifier: MIT
/*
 * Fuzz target: a region whose bytes the fuzzer chooses, driven through the
 * public API. Every call must return (0 or a negative errno), never crash,
 * hang or touch memory outside the region.
 *
 * The region is a real one (shmbox_create), reset before every input to a
 * pristine image. Input:
 *   byte 0, bit 0 set:  raw mode - the rest of the input is copied over the
 *                       region from byte 0 (header included), then a fixed
 *                       sequence of calls runs;
 *   bit 0 clear:        patch mode - byte 1: number of patches; each patch is
 *                       offset (2 bytes, little-endian, modulo the region
 *                       size), length (1 byte, modulo 32) and that many bytes,
 *                       written over the valid image; the remaining bytes are
 *                       operations (open, stat, alloc, free, send, recv,
 *                       send_slot, recv_slot, reclaim, more patches ...).
 * The second handle that runs the calls is moved between two PROT_NONE
 * guard pages, so an access past either end of the region faults.
 *
 * One rule the harness imposes on the bytes: a lock word whose owner field
 * names a thread id that could exist is rewritten to a thread id above the
 * kernel's limit (so, a dead owner). A lock held by a live thread is a held
 * lock: waiting for it is correct, and calls with a timeout give up then.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <shmbox/port.h>
#include <shmbox/shmbox.h>

#include "access.h"
#include "layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static shmbox_t owner;          /* creator: keeps the region alive */
static unsigned char *pristine; /* the image right after create */
static char name[SHMBOX_NAME_MAX + 1];
static size_t page;

static void cleanup(void)
{
    shmbox_close(&owner);
    shmbox_unlink(name);
}

static void init_once(void)
{
    if (pristine != NULL)
        return;
    page = (size_t)sysconf(_SC_PAGESIZE);
    snprintf(name, sizeof(name), "fz-%ld", (long)getpid());
    shmbox_unlink(name);
    int rc = shmbox_create(&owner, name);
    if (rc != 0) {
        fprintf(stderr, "fuzz: create: %s\n", shmbox_strerror(rc));
        abort();
    }
    atexit(cleanup);
    pristine = malloc(SHMBOX_REGION_SIZE);
    if (pristine == NULL)
        abort();
    memcpy(pristine, owner.base, SHMBOX_REGION_SIZE);
}

static void defuse_lock(_Atomic uint32_t *w)
{
    uint32_t v = atomic_load(w), tid = v & SHMBOX_LOCK_TID_MASK;
    if (tid != 0 && tid <= 4194304u && tid != shmbox_port_tid())
        atomic_store(w, v | 0x20000000u);
}

static void defuse_locks(void)
{
    defuse_lock(&sbx_hdr_of(&owner)->proc_lock.word);
    for (unsigned p = 0; p < CONFIG_SHMBOX_POOL_COUNT; p++)
        defuse_lock(&sbx_pool_of(&owner, p)->lock.word);
    for (unsigned m = 0; m < CONFIG_SHMBOX_MBOX_COUNT; m++)
        defuse_lock(&sbx_mbox_of(&owner, m)->lock.word);
}

struct input {
    const uint8_t *p;
    size_t n;
};

static unsigned next_byte(struct input *in)
{
    if (in->n == 0)
        return 0;
    in->n--;
    return *in->p++;
}

static uint32_t next_u32(struct input *in)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v |= (uint32_t)next_byte(in) << (8 * i);
    return v;
}

static void patch(struct input *in)
{
    unsigned off = next_byte(in) | next_byte(in) << 8;
    unsigned len = next_byte(in) % 32u;
    off = (unsigned)(off % SHMBOX_REGION_SIZE);
    for (unsigned i = 0; i < len && off + i < SHMBOX_REGION_SIZE; i++)
        owner.base[off + i] = (unsigned char)next_byte(in);
}

/* Move sb's mapping between two PROT_NONE pages. Best effort. */
static void *guarded_reserve;

static void guard(shmbox_t *sb)
{
    size_t len = (size_t)sb->size;
    void *r = mmap(NULL, len + 2 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (r == MAP_FAILED)
        return;
    void *moved = mremap(sb->base, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, (unsigned char *)r + page);
    if (moved == MAP_FAILED) {
        munmap(r, len + 2 * page);
        return;
    }
    sb->base = moved;
    guarded_reserve = r;
}

static void unguard(size_t len)
{
    if (guarded_reserve != NULL) {
        munmap(guarded_reserve, len + 2 * page);
        guarded_reserve = NULL;
    }
}

static void check_rc(int rc)
{
    /* Every result is success or a negative errno the API documents. */
    if (rc > 0 || rc < -4095)
        abort();
}

static void check_slot_ptr(const shmbox_t *sb, shmbox_slot_t s)
{
    unsigned char *p = shmbox_slot_ptr(sb, s);
    size_t n = shmbox_slot_size(sb, s);
    if (p == NULL)
        return;
    if (p < sb->base || p + n > sb->base + SHMBOX_REGION_SIZE || n == 0)
        abort();
    memset(p, 0xa5, n);
}

#define HELD 16

static void run_ops(shmbox_t *sb, struct input *in, int raw)
{
    shmbox_slot_t held[HELD] = {0};
    unsigned char buf[SHMBOX_MSG_SIZE + 8];
    struct shmbox_stat st;
    unsigned steps = 0;
    while ((raw ? steps < 12u : in->n > 0) && steps < 256u) {
        unsigned op = raw ? steps : next_byte(in);
        unsigned a = raw ? steps : next_byte(in);
        steps++;
        unsigned mbox = a % (CONFIG_SHMBOX_MBOX_COUNT + 1u); /* one past the end too */
        shmbox_slot_t *h = &held[a % HELD];
        size_t len;
        int rc = 0;
        switch (op % 13u) {
        case 0:
            rc = shmbox_stat(sb, &st);
            break;
        case 1:
            if (*h == 0)
                rc = shmbox_slot_alloc(sb, 1u + (a * 37u) % 200u, h, SHMBOX_NO_WAIT);
            if (rc == 0 && *h != 0)
                check_slot_ptr(sb, *h);
            break;
        case 2:
            rc = shmbox_slot_free(sb, *h);
            *h = 0;
            break;
        case 3:
            memset(buf, (int)a, sizeof(buf));
            rc = shmbox_send(sb, mbox, buf, a % (SHMBOX_MSG_SIZE + 2u), SHMBOX_NO_WAIT);
            break;
        case 4:
            len = a % (SHMBOX_MSG_SIZE + 2u);
            rc = shmbox_recv(sb, mbox, buf, len, SHMBOX_NO_WAIT);
            if (rc > (int)len)
                abort(); /* longer than the buffer it was given */
            if (rc > 0)
                rc = 0;
            break;
        case 5:
            rc = shmbox_send_slot(sb, mbox, *h, a % 80u, SHMBOX_NO_WAIT);
            if (rc == 0)
                *h = 0;
            break;
        case 6:
            if (*h == 0) {
                rc = shmbox_recv_slot(sb, mbox, h, &len, SHMBOX_NO_WAIT);
                if (rc == 0) {
                    if (len > shmbox_slot_size(sb, *h))
                        abort();
                    check_slot_ptr(sb, *h);
                }
            }
            break;
        case 7:
            rc = shmbox_reclaim(sb);
            if (rc > 0)
                rc = 0;
            break;
        case 8:
            check_slot_ptr(sb, *h);
            break;
        case 9:
            patch(in);
            defuse_locks();
            break;
        case 10: {
            shmbox_slot_t forged = next_u32(in);
            check_slot_ptr(sb, forged);
            rc = shmbox_slot_free(sb, forged);
            break;
        }
        case 11:
            rc = shmbox_recv(sb, mbox, NULL, 0, SHMBOX_NO_WAIT);
            if (rc > 0)
                abort();
            break;
        default:
            rc = shmbox_recv_slot(sb, mbox, h, NULL, SHMBOX_NO_WAIT);
            break;
        }
        check_rc(rc);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    init_once();
    memcpy(owner.base, pristine, SHMBOX_REGION_SIZE);
    struct input in = {data, size};
    unsigned mode = next_byte(&in);
    int raw = (mode & 1u) != 0;
    if (raw) {
        size_t n = in.n < SHMBOX_REGION_SIZE ? in.n : (size_t)SHMBOX_REGION_SIZE;
        memcpy(owner.base, in.p, n);
        in.n = 0;
    } else {
        unsigned patches = next_byte(&in) % 32u;
        for (unsigned i = 0; i < patches; i++)
            patch(&in);
    }
    defuse_locks();

    shmbox_t sb;
    memset(&sb, 0, sizeof(sb));
    int rc = shmbox_open(&sb, name, SHMBOX_NO_WAIT);
    check_rc(rc);
    if (rc == 0) {
        size_t len = (size_t)sb.size;
        guard(&sb);
        run_ops(&sb, &in, raw);
        check_rc(shmbox_close(&sb));
        unguard(len);
    } else if (shmbox_error_detail(&sb) == NULL) {
        abort();
    }
    return 0;
}
