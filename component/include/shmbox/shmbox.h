// SPDX-License-Identifier: MIT
/**
 * @file shmbox.h
 * @brief shmbox: a fixed-layout, malloc-free shared region with slot pools
 *        and mailboxes.
 *
 * One shared memory region whose layout (pools, mailboxes, a process
 * table in the classic layout) is decided at build time by Kconfig (see the generated
 * <shmbox/shmbox_config.h>). Nothing is allocated at run time: the region
 * lives in the port's shared memory and the per-process handle
 * (::shmbox_t) in storage the caller owns.
 *
 * Conventions for every function:
 * - the return value is 0 (or a length / count) on success and a negative
 *   errno value on failure; shmbox_strerror() turns it into a sentence;
 * - no function prints, exits, aborts or allocates;
 * - `timeout_ms` is ::SHMBOX_NO_WAIT (fail at once with -EAGAIN / -ENOMEM
 *   instead of waiting for room, a message or a slot; the O(1) region lock
 *   itself is still waited for, at most 1 s, then -EAGAIN),
 *   a positive number of milliseconds measured on CLOCK_MONOTONIC (the
 *   call returns -ETIMEDOUT no earlier than that), or ::SHMBOX_FOREVER;
 *   any other negative value is -EINVAL;
 * - values read from the region are checked before use: a corrupt or
 *   hostile region yields -EBADMSG, never a crash.
 *
 * Thread safety: every function may be called concurrently from several
 * processes on the same region. One ::shmbox_t may be shared by the
 * threads of a process for send/recv/alloc/free/stat; create, open and
 * close of one ::shmbox_t must not race with other calls on it.
 * Not async-signal-safe: a call made from a signal handler that
 * interrupted a shmbox call of the same thread may fail with -EDEADLK
 * (it never takes over the interrupted call's lock).
 * A handle inherited across fork() serves only shmbox_close() in the
 * child; every other call on it is -ECHILD.
 *
 * The minimal core (CONFIG_SHMBOX_MINIMAL_CORE: the static port, a compact
 * region only firmware cores share) has this API with the same argument
 * errors and bounds checks, and these differences, which the functions
 * below repeat where they apply:
 * - no process table: opens are counted (shmbox_stat()'s `attached`: open
 *   handles, a reset core's included) and never bounded (no -EUSERS);
 *   open is O(1) and has no -EXDEV; `recoveries` is always 0;
 * - no slot owners: any allocated slot may be sent or freed through any
 *   handle; shmbox_close() and shmbox_reclaim() free no slot;
 * - no crash repair: a region left INITIALIZING is waited out
 *   (-ETIMEDOUT, never "creator died" -EBADMSG); a lock word left held by
 *   a reset core is waited for until each call's deadline;
 * - nothing sleeps: a call with a timeout polls (shmbox_static_relax()
 *   between looks), a missing region included; doorbells do nothing;
 * - one lock per mailbox for senders and receivers; a spoiled free list
 *   is rebuilt rather than reported (-EBADMSG);
 * - shmbox_open_or_create() never replaces a region (it cannot tell a
 *   stale one);
 * - the region format's functions (<shmbox/shmbox_format.h>) are not in
 *   its library unless CONFIG_SHMBOX_ERROR_DETAIL is on.
 */
#ifndef SHMBOX_SHMBOX_H
#define SHMBOX_SHMBOX_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include <shmbox/shmbox_config.h>
#include <shmbox/shmbox_format.h>

/* Bare-metal C libraries (picolibc, newlib) have no EUSERS: shmbox uses
 * Linux's value, the same on every architecture Linux runs on. */
#ifndef EUSERS
#define EUSERS 87
#endif

/** Marks each function of the public API: with GCC and clang it has default
 *  visibility while the library is built with -fvisibility=hidden, so these
 *  functions are all that the installed library exports. */
#if defined(__GNUC__) || defined(__clang__)
#define SHMBOX_API __attribute__((visibility("default")))
#else
#define SHMBOX_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** timeout_ms: do not wait; fail at once with -EAGAIN (or -ENOMEM). */
#define SHMBOX_NO_WAIT 0
/** timeout_ms: wait without limit. */
#define SHMBOX_FOREVER (-1)

/** Number of slot pools in the configured layout (CONFIG_SHMBOX_POOL_COUNT). */
#define SHMBOX_POOL_COUNT CONFIG_SHMBOX_POOL_COUNT
/** Number of mailboxes in the configured layout (CONFIG_SHMBOX_MBOX_COUNT). */
#define SHMBOX_MBOX_COUNT CONFIG_SHMBOX_MBOX_COUNT
/** Largest message a mailbox carries, bytes (CONFIG_SHMBOX_MSG_SIZE). */
#define SHMBOX_MSG_SIZE CONFIG_SHMBOX_MSG_SIZE
/** Mailbox capacity in messages (CONFIG_SHMBOX_MBOX_DEPTH). */
#define SHMBOX_MBOX_DEPTH CONFIG_SHMBOX_MBOX_DEPTH
/** Longest region name, characters (without the terminating NUL). */
#define SHMBOX_NAME_MAX 31
/** Size of the buffer shmbox_error_detail() text fits in, NUL included. */
#define SHMBOX_DETAIL_MAX 128

/** Opaque slot handle. ::SHMBOX_SLOT_NONE is never a valid handle. */
typedef uint32_t shmbox_slot_t;
/** The handle no slot has. */
#define SHMBOX_SLOT_NONE ((shmbox_slot_t)0)

/**
 * @brief Where things are in an open region: the layout its header states,
 *        validated and copied into the handle at create/open (the region's
 *        own bytes are never trusted after that). Private.
 */
struct shmbox_handle_layout {
    /** @privatesection */
    size_t pool_ctl[SHMBOX_MAX_POOLS];   /* pool n's control lines, from base */
    size_t pool_data[SHMBOX_MAX_POOLS];  /* pool n's first slot, from base */
    uint32_t slot_size[SHMBOX_MAX_POOLS];
    uint32_t slot_count[SHMBOX_MAX_POOLS];
    size_t mbox_off;                     /* mailbox 0, from base */
    size_t ring_off;                     /* compact layout: mailbox 0's ring, from base */
    size_t mbox_stride;                  /* between mailboxes */
    size_t entry_size;                   /* between ring entries */
    uint32_t pool_count, mbox_count;
    uint32_t mbox_mask;                  /* depth - 1 (depth: a power of two) */
    uint32_t msg_size;
    uint32_t max_procs;
    uint32_t page_size;
    uint32_t foreign;                    /* 1: not this build's layout (shmbox_open_any) */
};

/**
 * @brief A process's handle on a region. Complete type: the caller owns the
 *        storage (static, stack or embedded); its fields are private.
 *
 * Pass it straight to shmbox_create()/shmbox_open(), initialised or not:
 * they never read what it holds. A handle that is open must be closed
 * before it is used for another create or open (which would otherwise
 * leave the first attachment in place until the process exits).
 */
typedef struct shmbox {
    /** @privatesection */
    struct shmbox_handle_layout lay; /* the open region's layout */
    unsigned char *base;       /* where this process mapped the region */
    uint64_t size;             /* mapped size */
    intptr_t port_handle;      /* port private: fd, shmid, ... */
    uint32_t proc_index;       /* our entry in the process table */
    uint32_t open_magic;       /* SHMBOX_OPEN_MAGIC while open */
    char name[SHMBOX_NAME_MAX + 1];
    char detail[SHMBOX_DETAIL_MAX]; /* text of the last open failure */
    uint32_t reclaim_ms;       /* earliest next reclaim by alloc (ms, wraps) */
    uint32_t fork_gen;         /* this process's fork generation at attach */
    uint32_t handle_id;        /* unique among this process's attaches */
    uint32_t device;           /* 1: opened through a device locator */
    void (*ring)(void *arg);   /* the doorbell to a firmware (shmbox_set_doorbell) */
    void *ring_arg;
} shmbox_t;

/* ------------------------------------------------------------------ */
/** @name Region lifecycle */
/** @{ */

/**
 * @brief Create a new region named @p name, initialise its layout and
 *        attach this process to it.
 *
 * Exclusive: fails if a region of that name exists. Storage is reserved at
 * once (a full /dev/shm is -ENOSPC here, never SIGBUS later). The region
 * gets the permission bits CONFIG_SHMBOX_MODE.
 *
 * Complexity: O(total slots + mailboxes) (the layout is initialised).
 * Blocking: no (system calls only).
 * @param sb   handle storage; on success the open handle.
 * @param name 1..31 characters of [A-Za-z0-9._-]; or, on the POSIX port
 *             with CONFIG_SHMBOX_DEVICE, a device locator "/PATH@OFFSET":
 *             memory that exists in that file or device, initialised in
 *             place (-EEXIST if a ready region is there; -ENOSPC if the
 *             file is too small; docs/porting.md, "Device regions"). Every
 *             function taking a region name takes a locator too.
 * @retval 0        created and attached.
 * @retval -EINVAL  @p sb or @p name is NULL or the name is invalid (a
 *                  locator: its offset unaligned or not a number), or
 *                  CONFIG_SHMBOX_PAGE_SIZE is not a multiple of the
 *                  system page size.
 * @retval -EEXIST  a region of that name exists.
 * @retval -ENOSPC  not enough shared memory for the region.
 * @retval -EACCES  the port refused permission.
 * @retval -EROFS   the port's file system is read-only (e.g. /dev/shm).
 * @retval -EMFILE  -ENFILE -ENOMEM: out of descriptors or address space.
 * @retval other    a negative errno the OS gave (-EIO, -EINTR, ...):
 *                  shmbox_strerror() names every one the ports pass on.
 */
SHMBOX_API int shmbox_create(shmbox_t *sb, const char *name);

/**
 * @brief Attach to an existing region, waiting for it to appear and for
 *        its creator to finish initialising it.
 *
 * A region that does not exist yet is waited for (looked for every 10 ms;
 * the minimal core polls) up to @p timeout_ms, so a consumer may start before its producer; with
 * SHMBOX_NO_WAIT a missing region is -ENOENT at once.
 *
 * Validates the header: magic, layout version, layout fingerprint and every
 * configured layout value. On -EPROTO, shmbox_error_detail() names the
 * first differing value (e.g. "CONFIG_SHMBOX_MSG_SIZE: region has 128,
 * this build 64").
 *
 * Complexity: O(CONFIG_SHMBOX_MAX_PROCS).
 * Blocking: up to @p timeout_ms while the region does not exist yet or
 *           is being initialised.
 * @retval 0          attached.
 * @retval -EINVAL    NULL argument, invalid name or timeout.
 * @retval -ENOENT    no region of that name (still none at the deadline).
 * @retval -ETIMEDOUT the creator did not finish initialising in time.
 * @retval -EPROTO    made by a build with a different layout or version.
 * @retval -EBADMSG   not a shmbox region, or its header is corrupt (this
 *                    includes a region whose creator died while
 *                    initialising it: remove it with shmbox_unlink(); the
 *                    minimal core cannot tell and says -ETIMEDOUT).
 * @retval -EUSERS    the process table is full (not the minimal core).
 * @retval -EXDEV     (not the minimal core) the region was made in another PID namespace: its
 *                    processes' liveness and lock owners cannot be told
 *                    from here (all processes of a region share one PID
 *                    namespace; see the README on containers).
 * @retval -EACCES    no permission.
 * @retval -EMFILE    -ENFILE -ENOMEM: out of descriptors or address space.
 * @retval other      a negative errno the OS gave: see shmbox_create().
 */
SHMBOX_API int shmbox_open(shmbox_t *sb, const char *name, int32_t timeout_ms);

/**
 * @brief Open and attach to the existing region @p name whatever layout it
 *        has (another build's configuration), for tools.
 *
 * As shmbox_open(), except that the layout is the one the region's header
 * states, once the region format accepts it (shmbox_format_check(): every
 * value in range, the fingerprint right, the recorded size the one the
 * layout computes and within what is mapped) and it is of the classic
 * variant (a compact region, the minimal core's, is -EPROTO). Every call then works on
 * that layout: mailbox and pool numbers, message and slot sizes are the
 * region's (see shmbox_layout(), shmbox_stat_pool(), shmbox_stat_mbox());
 * shmbox_stat() serves only a region no larger than this build's layout
 * (its struct is sized by this build). A handle of another layout never
 * uses the per-thread slot cache. Linux ports only (not in a static-port
 * library: a firmware opens regions of its own build's layout).
 *
 * Complexity: O(max_procs of the region).
 * Blocking: as shmbox_open().
 * @retval 0          attached.
 * @retval -EPROTO    the header's layout breaks the format's rules (an
 *                    unknown layout version, a value out of range): the
 *                    detail text names the value.
 * @retval other      any error of shmbox_open() but -EPROTO's meaning there.
 */
SHMBOX_API int shmbox_open_any(shmbox_t *sb, const char *name, int32_t timeout_ms);

/**
 * @brief Open the region @p name if a live one exists, create it if none
 *        exists, and replace it if it is stale.
 *
 * Stale: no live process has it open (its creator and every user closed
 * it or died, e.g. a service restarted after a crash). Such a region is replaced by a
 * fresh one of the same name and layout, in place: every slot free, every
 * mailbox empty (the dead incarnation's queued messages are dropped), and
 * this call counts as its creator. Race-free: of several processes calling
 * this at once on one name, exactly one gets 1 (it created or replaced the
 * region), the others 0, all on the same region; a live region is never
 * replaced and a half-built one never opened (openers wait for its
 * creator, as shmbox_open() does).
 * The minimal core (CONFIG_SHMBOX_MINIMAL_CORE) cannot tell a live
 * region from a stale one (it keeps no process table, and a reset core
 * leaves its count): it opens a region that exists as it is, with what it
 * holds, and never replaces one.
 * A region made by a build of another layout stays -EPROTO, and one whose
 * creator died while initialising it -EBADMSG: remove it with
 * shmbox_unlink() (or `shmbox rm`).
 *
 * Complexity: O(CONFIG_SHMBOX_MAX_PROCS) to open; as shmbox_create() to
 * create; replacing a stale region re-initialises it (O(total slots)).
 * Blocking: up to @p timeout_ms while another process initialises it.
 * @param sb         handle storage; on success the open handle.
 * @param name       1..31 characters of [A-Za-z0-9._-].
 * @param timeout_ms how long to wait for a creator to finish
 *                   (SHMBOX_NO_WAIT, SHMBOX_FOREVER or milliseconds).
 * @retval 1          this call created the region, or replaced a stale one.
 * @retval 0          this call opened a live region.
 * @retval -ETIMEDOUT its creator did not finish in time.
 * @retval other      any error of shmbox_create() or shmbox_open().
 */
SHMBOX_API int shmbox_open_or_create(shmbox_t *sb, const char *name, int32_t timeout_ms);

/**
 * @brief Detach this process from the region.
 *
 * Slots this process still owns are freed; the region itself stays until
 * shmbox_unlink() (or until shmbox_open_or_create() replaces it
 * once no live process has it open). Afterwards @p sb is closed and may be reused.
 * A handle belongs to the process that opened it (and its threads): a
 * forked child opens a handle of its own. Every other call on a handle a
 * child inherited fails with -ECHILD; closing it only unmaps it (the
 * parent's attachment and slots stay).
 * The minimal core (CONFIG_SHMBOX_MINIMAL_CORE) keeps no slot owners: a
 * close there frees no slot and only counts the handle out (O(1)).
 * Complexity: O(total slots). Blocking: only on the region's locks.
 * @retval 0       detached.
 * @retval -EINVAL @p sb is NULL or not open.
 */
SHMBOX_API int shmbox_close(shmbox_t *sb);

/**
 * @brief Remove the region named @p name. Processes that have it open keep
 *        using it until they close it; a new create may reuse the name.
 * Complexity: O(1). Blocking: no.
 * @retval 0       removed.
 * @retval -EINVAL invalid name.
 * @retval -ENOENT no region of that name.
 * @retval -EACCES no permission.
 * @retval -EBUSY  a device region (CONFIG_SHMBOX_DEVICE) whose creator is
 *                 at work: it is invalidated in place, not while being made.
 */
SHMBOX_API int shmbox_unlink(const char *name);

/**
 * @brief Text explaining the last create/open failure on @p sb (the
 *        differing layout value on -EPROTO), or "" when there is none.
 * Complexity: O(1). Blocking: no. Never returns NULL.
 */
SHMBOX_API const char *shmbox_error_detail(const shmbox_t *sb);

/** @} */
/* ------------------------------------------------------------------ */
/** @name Slot pools */
/** @{ */

/**
 * @brief Allocate a slot of at least @p size bytes from the smallest pool
 *        whose slot size fits; this process owns it.
 *
 * The slot memory is aligned to 64 bytes and is not cleared.
 * Complexity: O(1) (at most one attempt per pool). When every fitting pool
 * is empty it first frees the slots of dead processes (shmbox_reclaim(),
 * O(slots + processes)), at most once per 100 ms per handle. Blocking: up to
 * @p timeout_ms when every fitting pool is empty (a slot freed by any
 * process wakes the waiter). The minimal core reclaims nothing and polls;
 * a spoiled free list is rebuilt (O(slots), once) instead of -EBADMSG.
 * @param sb         an open handle.
 * @param size       bytes needed (1 .. the largest slot size).
 * @param slot       receives the handle; untouched on failure.
 * @param timeout_ms how long to wait for a free slot (see the conventions).
 * @retval 0          allocated.
 * @retval -EINVAL    NULL argument, @p size 0, bad timeout, not open.
 * @retval -EMSGSIZE  @p size is larger than the largest slot.
 * @retval -ENOMEM    every fitting pool is empty (::SHMBOX_NO_WAIT).
 * @retval -EAGAIN    a pool lock stayed held for 1 s (::SHMBOX_NO_WAIT; a
 *                    stalled or hostile peer).
 * @retval -ETIMEDOUT still empty when the timeout expired.
 * @retval -EBADMSG   the pool's shared state is corrupt.
 * @retval -ECHILD    @p sb was inherited across fork(): it belongs to the
 *                    parent; a child opens a handle of its own.
 */
SHMBOX_API int shmbox_slot_alloc(shmbox_t *sb, size_t size, shmbox_slot_t *slot, int32_t timeout_ms);

/**
 * @brief Return a slot to its pool.
 *
 * Any process of the region may free a slot that is not queued in a
 * mailbox: ownership decides who gets a dead process's slots back
 * (shmbox_reclaim()) and who may queue it (shmbox_send_slot()), it does not
 * restrict freeing.
 * With CONFIG_SHMBOX_SLOT_CACHE > 0 a slot this process owns goes to the
 * calling thread's cache while it has room (see shmbox_slot_cache_flush()).
 * Complexity: O(1). Blocking: only on the pool lock (never when cached).
 * @retval 0         freed.
 * @retval -EINVAL   not a handle of this region (forged, stale, queued in
 *                   a mailbox), or @p sb not open.
 * @retval -EALREADY the slot was already freed.
 * @retval -ECHILD    @p sb was inherited across fork(): it belongs to the
 *                    parent; a child opens a handle of its own.
 */
SHMBOX_API int shmbox_slot_free(shmbox_t *sb, shmbox_slot_t slot);

/**
 * @brief Return the calling thread's cached slots to their pools.
 *
 * With CONFIG_SHMBOX_SLOT_CACHE > 0, shmbox_slot_free() keeps up to that
 * many slots per pool in the freeing thread for its next
 * shmbox_slot_alloc(); they stay allocated to this process (counted as
 * used, out of other processes' reach) until this call, shmbox_close(), or
 * the process's death. A thread that frees through @p sb should call it
 * before it exits, and wherever other processes must see every free slot.
 * Each thread's cache serves one open handle at a time; this call empties
 * it for that handle. Without a cache it does nothing.
 * Complexity: O(CONFIG_SHMBOX_SLOT_CACHE x pools). Blocking: only on the
 * pool locks.
 * @retval >=0       the number of slots returned.
 * @retval -EINVAL   @p sb NULL or not open.
 * @retval -ETIMEDOUT, -EDEADLK a pool lock could not be taken (the slots
 *                   not yet returned stay cached).
 * @retval -ECHILD    @p sb was inherited across fork(): it belongs to the
 *                    parent; a child opens a handle of its own.
 */
SHMBOX_API int shmbox_slot_cache_flush(shmbox_t *sb);

/**
 * @brief Address of an allocated slot's memory in this process.
 * Complexity: O(1). Blocking: no.
 * @return the address (64-byte aligned), or NULL for a bad, free or queued
 *         handle, a closed @p sb, or one inherited across fork().
 */
SHMBOX_API void *shmbox_slot_ptr(const shmbox_t *sb, shmbox_slot_t slot);

/**
 * @brief Usable size of an allocated slot (its pool's slot size).
 * Complexity: O(1). Blocking: no.
 * @return the size in bytes, or 0 for a bad handle, a closed @p sb, or one
 *         inherited across fork().
 */
SHMBOX_API size_t shmbox_slot_size(const shmbox_t *sb, shmbox_slot_t slot);

/** @} */
/* ------------------------------------------------------------------ */
/** @name Mailboxes */
/** @{ */

/**
 * @brief Queue a copy of @p len bytes at @p msg in mailbox @p mbox.
 *
 * Bounded FIFO; any number of senders and receivers; each message is
 * delivered to exactly one receiver. The message becomes visible
 * atomically once complete.
 * Complexity: O(len) copy, O(1) otherwise. Blocking: up to @p timeout_ms
 * while the mailbox is full. Senders share the mailbox's send lock,
 * receivers its receive lock: a sender never waits for a receiver's lock
 * (the minimal core: one lock per mailbox for both).
 * No system call unless the send lock is contended, a sleeping receiver
 * must be woken, or the call must wait.
 * @retval 0          queued.
 * @retval -EINVAL    bad mailbox number, NULL @p msg with @p len > 0,
 *                    bad timeout, @p sb not open.
 * @retval -EMSGSIZE  @p len > ::SHMBOX_MSG_SIZE.
 * @retval -EAGAIN    full (::SHMBOX_NO_WAIT), or its lock stayed held for
 *                    1 s (::SHMBOX_NO_WAIT; a stalled or hostile peer).
 * @retval -ETIMEDOUT still full when the timeout expired.
 * @retval -EBADMSG   the mailbox's shared state is corrupt.
 * @retval -ECHILD    @p sb was inherited across fork(): it belongs to the
 *                    parent; a child opens a handle of its own.
 */
SHMBOX_API int shmbox_send(shmbox_t *sb, unsigned mbox, const void *msg, size_t len, int32_t timeout_ms);

/**
 * @brief Take the oldest message of mailbox @p mbox into @p buf.
 *
 * Complexity: O(length) copy, O(1) otherwise. Blocking: up to
 * @p timeout_ms while the mailbox is empty. No system call unless the
 * receive lock is contended, a sleeping sender must be woken, or the call
 * must wait.
 * @param sb         an open handle.
 * @param mbox       mailbox number, 0 .. ::SHMBOX_MBOX_COUNT - 1.
 * @param buf        receives the message (may be NULL when @p cap is 0).
 * @param cap        size of @p buf in bytes.
 * @param timeout_ms how long to wait for a message (see the conventions).
 * @return the message length (>= 0) on success.
 * @retval -EINVAL    bad mailbox number, NULL @p buf with @p cap > 0, bad
 *                    timeout, @p sb not open.
 * @retval -EMSGSIZE  @p cap is smaller than the oldest message: it stays
 *                    queued, nothing is lost.
 * @retval -ENOMSG    the oldest message is a slot (use shmbox_recv_slot());
 *                    it stays queued.
 * @retval -EAGAIN    empty (::SHMBOX_NO_WAIT), or its lock stayed held for
 *                    1 s (::SHMBOX_NO_WAIT; a stalled or hostile peer).
 * @retval -ETIMEDOUT still empty when the timeout expired.
 * @retval -EBADMSG   the mailbox's shared state is corrupt.
 * @retval -ECHILD    @p sb was inherited across fork(): it belongs to the
 *                    parent; a child opens a handle of its own.
 */
SHMBOX_API int shmbox_recv(shmbox_t *sb, unsigned mbox, void *buf, size_t cap, int32_t timeout_ms);

/**
 * @brief Queue slot @p slot (its first @p len bytes are the payload) in
 *        mailbox @p mbox: zero copy. Ownership moves from this process to
 *        the mailbox; on failure this process keeps it.
 * Complexity: O(1). Blocking: as shmbox_send().
 * @retval 0          queued.
 * @retval -EINVAL    bad mailbox, bad timeout, @p slot is not a slot this
 *                    process owns (the minimal core: not an allocated slot
 *                    of the region), or @p sb not open.
 * @retval -EMSGSIZE  @p len > shmbox_slot_size(slot).
 * @retval -EAGAIN    full (::SHMBOX_NO_WAIT), or its lock stayed held for
 *                    1 s (::SHMBOX_NO_WAIT; a stalled or hostile peer).
 * @retval -ETIMEDOUT still full when the timeout expired.
 * @retval -EBADMSG   the mailbox's shared state is corrupt.
 * @retval -ECHILD    @p sb was inherited across fork(): it belongs to the
 *                    parent; a child opens a handle of its own.
 */
SHMBOX_API int shmbox_send_slot(shmbox_t *sb, unsigned mbox, shmbox_slot_t slot, size_t len, int32_t timeout_ms);

/**
 * @brief Take the oldest message of mailbox @p mbox, which must be a slot;
 *        this process becomes its owner (the minimal core has no owners).
 * Complexity: O(1). Blocking: as shmbox_recv().
 * @param sb         an open handle.
 * @param mbox       mailbox number, 0 .. ::SHMBOX_MBOX_COUNT - 1.
 * @param slot       receives the handle.
 * @param len        receives the payload length (may be NULL).
 * @param timeout_ms how long to wait for a message (see the conventions).
 * @retval 0          received.
 * @retval -EINVAL    bad mailbox, NULL @p slot, bad timeout, not open.
 * @retval -ENOMSG    the oldest message is a copied message (use
 *                    shmbox_recv()); it stays queued.
 * @retval -EAGAIN    empty (::SHMBOX_NO_WAIT), or its lock stayed held for
 *                    1 s (::SHMBOX_NO_WAIT; a stalled or hostile peer).
 * @retval -ETIMEDOUT still empty when the timeout expired.
 * @retval -EBADMSG   the mailbox's shared state is corrupt.
 * @retval -ECHILD    @p sb was inherited across fork(): it belongs to the
 *                    parent; a child opens a handle of its own.
 */
SHMBOX_API int shmbox_recv_slot(shmbox_t *sb, unsigned mbox, shmbox_slot_t *slot, size_t *len, int32_t timeout_ms);

/** @} */
/* ------------------------------------------------------------------ */
/** @name Crash recovery */
/** @{ */

/**
 * @brief Free every slot owned by a process that has died (or detached
 *        without freeing it). Slots queued in mailboxes are never taken.
 * The minimal core (CONFIG_SHMBOX_MINIMAL_CORE) has no owners and no
 * crash repair: there it frees nothing and returns 0 (O(1)).
 * Complexity: O(total slots + CONFIG_SHMBOX_MAX_PROCS). Blocking: only on
 * the pool locks.
 * @return the number of slots freed (>= 0).
 * @retval -EINVAL @p sb NULL or not open.
 * @retval -ECHILD    @p sb was inherited across fork(): it belongs to the
 *                    parent; a child opens a handle of its own.
 */
SHMBOX_API int shmbox_reclaim(shmbox_t *sb);

/** @} */
/* ------------------------------------------------------------------ */
/** @name Firmware on the same region: doorbells */
/** @{ */

/**
 * @brief The other side rang: wake every thread of this process asleep on
 *        @p sb's region (waiting for a message, for room, for a slot), so
 *        each looks again at once.
 *
 * A firmware sharing the region cannot wake a Linux thread asleep in the
 * kernel. It rings a doorbell instead (shmbox_static_doorbell(), wired to
 * an inter-processor interrupt: IPCC, MU, a mailbox peripheral); the Linux
 * side's handler of that interrupt (a thread reading a UIO device, an
 * rpmsg or mailbox client) calls this. Without a doorbell, a Linux sleeper
 * looks again every CONFIG_SHMBOX_HYBRID_POLL_US while a firmware is
 * attached. Safe from any thread and from a signal handler. The minimal
 * core has no sleepers: there it does nothing (and a doorbell set with
 * shmbox_set_doorbell() is never rung).
 * Complexity: O(pools + mailboxes). Blocking: never (one futex wake per
 * word that has sleepers).
 * @param sb an open handle.
 * @retval 0       done.
 * @retval -EINVAL @p sb NULL or not open.
 * @retval -ECHILD @p sb was inherited across fork().
 */
SHMBOX_API int shmbox_doorbell(shmbox_t *sb);

/**
 * @brief How this process rings the firmware's doorbell: @p ring(@p arg)
 *        is called after a change a sleeper may wait for (a message sent
 *        or taken, a slot freed) whenever the region records a sleeper.
 *
 * Setting it also tells the library that the firmware's doorbell reaches
 * this process (its handler calls shmbox_doorbell()): its sleepers then
 * no longer look again every CONFIG_SHMBOX_HYBRID_POLL_US, only every
 * 100 ms (the bound on a lost wake-up). @p ring runs on the thread of the
 * call that made the change, after its locks are released; it must not
 * block and must not call shmbox. NULL @p ring: no doorbell (the default).
 * Set it right after create/open, before other threads use the handle:
 * the pair (@p ring, @p arg) is not changed atomically for a call running
 * on another thread at the same time.
 * Complexity: O(1). Blocking: never.
 * @param sb   an open handle.
 * @param ring the doorbell, or NULL.
 * @param arg  passed to @p ring.
 * @retval 0       set.
 * @retval -EINVAL @p sb NULL or not open.
 * @retval -ECHILD @p sb was inherited across fork().
 */
SHMBOX_API int shmbox_set_doorbell(shmbox_t *sb, void (*ring)(void *arg), void *arg);

/** @} */
/* ------------------------------------------------------------------ */
/** @name Introspection */
/** @{ */

/** Per-pool statistics. */
struct shmbox_pool_stat {
    uint32_t slot_size;  /**< bytes per slot */
    uint32_t slot_count; /**< slots in the pool */
    uint32_t used;       /**< slots allocated or queued now */
    uint32_t peak;       /**< highest `used` seen (CONFIG_SHMBOX_STATS) */
};

/** Per-mailbox statistics. */
struct shmbox_mbox_stat {
    uint32_t depth;    /**< capacity in messages */
    uint32_t msg_size; /**< largest message, bytes */
    uint32_t count;    /**< messages queued now */
    uint32_t peak;     /**< highest `count` seen (CONFIG_SHMBOX_STATS) */
    uint64_t sent;     /**< messages queued since creation (CONFIG_SHMBOX_STATS) */
    uint64_t received; /**< messages taken since creation (CONFIG_SHMBOX_STATS) */
};

/** Region statistics, filled by shmbox_stat(). */
struct shmbox_stat {
    uint32_t pool_count; /**< pools in the layout */
    uint32_t mbox_count; /**< mailboxes in the layout */
    uint32_t attached;   /**< live processes attached now (the minimal core: open handles) */
    uint32_t recoveries; /**< locks taken over from a dead owner (the minimal core: 0) */
    struct shmbox_pool_stat pool[SHMBOX_POOL_COUNT]; /**< per pool */
    struct shmbox_mbox_stat mbox[SHMBOX_MBOX_COUNT]; /**< per mailbox */
};

/**
 * @brief Snapshot of the region's statistics (each counter read
 *        atomically; the set is not one instant).
 * Takes each pool's lock and each mailbox's two locks in turn (which also
 * repairs a structure whose last locker died in it; the minimal core: one
 * lock per mailbox, no repair, O(pools + mailboxes)).
 * Complexity: O(pools + mailboxes + CONFIG_SHMBOX_MAX_PROCS). Blocking:
 * briefly on each lock, at most 100 ms; a structure whose lock stays held
 * longer reads as zeros.
 * @retval 0       filled.
 * @retval -EINVAL NULL argument or @p sb not open.
 * @retval -EPROTO  opened with shmbox_open_any(), the region has more pools
 *                  or mailboxes than this build's struct holds: use
 *                  shmbox_stat_pool() and shmbox_stat_mbox().
 * @retval -ECHILD    @p sb was inherited across fork(): it belongs to the
 *                    parent; a child opens a handle of its own.
 */
SHMBOX_API int shmbox_stat(const shmbox_t *sb, struct shmbox_stat *st);

/**
 * @brief The configuration record of the open region's layout (this
 *        build's, or with shmbox_open_any() the region's own).
 * Complexity: O(1). Blocking: no.
 * @retval 0       filled.
 * @retval -EINVAL NULL argument or @p sb not open.
 * @retval -ECHILD @p sb was inherited across fork().
 */
SHMBOX_API int shmbox_layout(const shmbox_t *sb, struct shmbox_cfg_rec *rec);

/**
 * @brief Statistics of pool @p pool alone, whatever the region's layout
 *        (as shmbox_stat() takes them: under the pool's lock).
 * Complexity: O(1). Blocking: briefly on the pool's lock, at most 100 ms;
 * a lock held longer leaves used and peak 0.
 * @retval 0       filled.
 * @retval -EINVAL NULL argument, @p sb not open, or no such pool.
 * @retval -ECHILD @p sb was inherited across fork().
 */
SHMBOX_API int shmbox_stat_pool(const shmbox_t *sb, unsigned pool, struct shmbox_pool_stat *st);

/**
 * @brief Statistics of mailbox @p mbox alone, whatever the region's layout
 *        (as shmbox_stat() takes them: each side's lock in turn).
 * Complexity: O(1). Blocking: briefly on each of its two locks, at most
 * 100 ms in all; a lock held longer leaves count 0.
 * @retval 0       filled.
 * @retval -EINVAL NULL argument, @p sb not open, or no such mailbox.
 * @retval -ECHILD @p sb was inherited across fork().
 */
SHMBOX_API int shmbox_stat_mbox(const shmbox_t *sb, unsigned mbox, struct shmbox_mbox_stat *st);

/**
 * @brief A sentence describing @p err (a negative errno returned by any
 *        shmbox function; a positive value is read as its negation).
 * Complexity: O(1). Never returns NULL; the text is static.
 */
SHMBOX_API const char *shmbox_strerror(int err);

/**
 * @brief The configuration record of the layout this library was built
 *        with (what shmbox_create() writes into a region's header and
 *        shmbox_open() expects), for the region format's functions
 *        (<shmbox/shmbox_format.h>).
 * Complexity: O(1). Blocking: no. Cannot fail.
 * @param rec filled.
 */
SHMBOX_API void shmbox_config_record(struct shmbox_cfg_rec *rec);

/** @} */
/* ------------------------------------------------------------------ */
/** @name For tools: finding and inspecting regions */
/** @{ */

/* SHMBOX_POSIX_PREFIX and SHMBOX_SYSV_KEY_BASE_DEFAULT, the ports' rules:
 * <shmbox/shmbox_format.h>. */

/** shmbox_locator::port: the POSIX shared memory port. */
#define SHMBOX_PORT_ID_POSIX 1
/** shmbox_locator::port: the System V shared memory port. */
#define SHMBOX_PORT_ID_SYSV 2

/** Where a region of a name lives, in each Linux port. */
struct shmbox_locator {
    char posix_object[sizeof(SHMBOX_POSIX_PREFIX) + SHMBOX_NAME_MAX]; /**< shm_open() name */
    int32_t sysv_key; /**< shmget() key under this library's key base */
    int port;         /**< this library's port: SHMBOX_PORT_ID_* */
};

/**
 * @brief Where the POSIX and SysV ports keep a region named @p name (the
 *        rule the ports follow), and which port this library uses.
 * Linux ports only (not in a static-port library).
 * Complexity: O(length of the name). Blocking: no.
 * @retval 0       filled.
 * @retval -EINVAL NULL argument or invalid name.
 */
SHMBOX_API int shmbox_region_locator(const char *name, struct shmbox_locator *loc);

/**
 * @brief Whether @p name is a valid region name: 1..31 of [A-Za-z0-9._-],
 *        not "." or "..".
 * Complexity: O(length). Blocking: no.
 * @return 1 (valid) or 0.
 */
SHMBOX_API int shmbox_name_valid(const char *name);

/**
 * @brief Whether process @p pid, recorded in a region with @p token (a
 *        process table entry, or the header's creator), is still that
 *        process (a reused pid is not).
 * Linux ports only (not in a static-port library).
 * Complexity: O(1) (reads /proc on Linux). Blocking: no.
 * The library's own rule for its process table (reclaim frees the slots
 * of a process only when this says 0): dead only when proven.
 * @return 1 if the process's token still reads @p token, or cannot be read
 *         (no /proc: it cannot be shown dead), or @p pid is a firmware's
 *         (<shmbox/owner.h>: Linux never takes a firmware for dead); 0
 *         otherwise (gone, pid reused, or pid or token 0).
 */
SHMBOX_API int shmbox_proc_alive(uint32_t pid, uint64_t token);

/** @} */

#ifdef __cplusplus
}
#endif

#endif /* SHMBOX_SHMBOX_H */
