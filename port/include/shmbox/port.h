// SPDX-License-Identifier: MIT
/**
 * @file port.h
 * @brief The port contract: the few primitives a port provides to the
 *        component. Internal to shmbox; applications never include it
 *        (except to override the static port's hooks, at the end).
 *
 * A port is one folder under port/ with the same files in each:
 *   region.c   map / create / attach / detach / remove a region by name
 *   sync.c     lock word slow path, wait/wake on a 32-bit word, relax, yield
 *   sys.c      clock, identities, liveness, page size
 * Exactly one port is compiled in (Kconfig choice SHMBOX_PORT_*), its
 * sources listed in CMakeLists.txt:
 *   posix    port/posix/{region,device}.c + port/linux/{sync,sys}.c (futex, /proc)
 *   sysv     port/sysv/region.c   + port/linux/{sync,sys}.c
 *   static   port/static/{region,sync,sys}.c (C11 atomics only, no OS)
 * The component calls these from any thread; a port keeps no per-handle
 * state beyond shmbox_port_map.handle.
 *
 * All functions return 0 or a negative errno unless documented otherwise,
 * never print, never allocate from the heap.
 */
#ifndef SHMBOX_PORT_H
#define SHMBOX_PORT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <shmbox/owner.h>
#include <shmbox/shmbox_config.h>
#include <shmbox/shmbox_format.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A mapped region as the port hands it to the component. */
struct shmbox_port_map {
    unsigned char *base;  /**< address of byte 0 in this process */
    uint64_t size;        /**< bytes mapped (>= the size asked for) */
    intptr_t handle;      /**< port private (descriptor, segment id, ...) */
};

/* ---- region --------------------------------------------------------- */

/** The SysV key base of this build: CONFIG_SHMBOX_SYSV_KEY_BASE in a SysV
 *  port build, else the default (the keys shmbox_region_locator() reports
 *  for a SysV build of the default base). Keys: shmbox_format_sysv_key(). */
#ifdef CONFIG_SHMBOX_SYSV_KEY_BASE
#define SHMBOX_PORT_SYSV_KEY_BASE ((uint32_t)CONFIG_SHMBOX_SYSV_KEY_BASE)
#else
#define SHMBOX_PORT_SYSV_KEY_BASE SHMBOX_SYSV_KEY_BASE_DEFAULT
#endif

/**
 * Create a region of @p size bytes exclusively, with permission bits
 * @p mode, and map it read/write. The memory reads as zeros. Storage must
 * be reserved now: running out later must not fault. Exception: memory
 * that exists before the create (the POSIX port's device regions,
 * port/posix/device.c; the static port at CONFIG_SHMBOX_STATIC_ADDRESS) is
 * mapped as it is; the component then refuses a ready region there
 * (-EEXIST) and initialises every byte it relies on itself.
 * @retval -EEXIST a region of that name exists.
 * @retval -ENOSPC not enough memory for the region.
 * @retval -EACCES, -EMFILE, -ENFILE, -ENOMEM, -EINVAL as the OS says.
 * @p name is already validated (1..31 chars of [A-Za-z0-9._-]), except a
 * name starting with '/' (CONFIG_SHMBOX_DEVICE), which the port parses:
 * -EINVAL if it is no valid locator.
 */
int shmbox_port_region_create(const char *name, uint64_t size, uint32_t mode,
                              struct shmbox_port_map *map);

/**
 * Map an existing region read/write, whole. A region smaller than
 * @p min_size is -EINPROGRESS while a creator is, or may still be,
 * sizing it (a port that cannot tell says so for a grace period after
 * the object appeared, not after the caller first looked), else -EBADMSG;
 * nothing stays mapped. The component retries -EINPROGRESS only.
 * @retval -ENOENT no region of that name.
 * @retval -EBADMSG smaller than @p min_size, and no creator will size it.
 * @retval -EINPROGRESS smaller than @p min_size, its creator (maybe) at work.
 * @retval -EACCES, -EMFILE, -ENFILE, -ENOMEM as the OS says.
 */
int shmbox_port_region_open(const char *name, uint64_t min_size,
                            struct shmbox_port_map *map);

/**
 * The creator of @p map finished initialising it (after READY is stored):
 * from now on shmbox_port_region_creating() answers 0. Must not fail.
 */
void shmbox_port_region_ready(struct shmbox_port_map *map);

/**
 * Whether the region's creator is alive and not done yet, as the port can
 * tell without the pid the header records (e.g. a file lock the creator
 * takes before it sizes the region and drops with
 * shmbox_port_region_ready(), which the kernel also drops when the
 * creator dies).
 * @retval 1 a live creator is still at work.
 * @retval 0 no creator is at work, and none will be: it finished, or it
 *         died (a region still EMPTY is then never initialised: -EBADMSG
 *         at once).
 * @retval -ENOSYS the port cannot tell (the component then judges the
 *         creator by its recorded pid, and an EMPTY region by a grace
 *         period).
 */
int shmbox_port_region_creating(const struct shmbox_port_map *map);

/** Unmap (and close) a region mapped by create or open. */
int shmbox_port_region_close(struct shmbox_port_map *map);

/**
 * Remove the region's name. Mappings stay valid until closed.
 * @retval -ENOENT no region of that name. @retval -EACCES no permission.
 */
int shmbox_port_region_unlink(const char *name);

/* ---- lock word and wait/wake ----------------------------------------- */

/* The lock word's bits and owner encoding: <shmbox/owner.h> (region format). */

/** shmbox_port_lock_slow() result: lock taken, previous owner died. */
#define SHMBOX_PORT_OWNER_DEAD 1

/**
 * Slow path of the lock: the fast compare-and-swap 0 -> @p tid failed.
 * Take the lock word @p w for thread @p tid, waiting (at most until
 * @p deadline_ns on shmbox_port_now_ns(), or forever if 0).
 * @retval 0 taken.
 * @retval SHMBOX_PORT_OWNER_DEAD taken; the previous owner died holding it
 *         (the caller must check the structure's invariants).
 * @retval -ETIMEDOUT the deadline passed.
 * @retval -EBUSY the word is owned by a party this port cannot wait for
 *         (a firmware owner seen by a Linux port, <shmbox/owner.h>): the
 *         component waits that owner out itself, polling.
 * @retval -EDEADLK the word already names @p tid, and @p tid may be its
 *         live owner (a port whose threads can die takes such a word over
 *         as left by a dead owner whose id was reused, and says
 *         SHMBOX_PORT_OWNER_DEAD, when the thread is in no other critical
 *         section: the component never takes a lock twice).
 * The timeout is on the monotonic clock: a step of the system's wall
 * clock must not end the wait early or make it longer.
 */
int shmbox_port_lock_slow(_Atomic uint32_t *w, uint32_t tid, uint64_t deadline_ns);

/**
 * Slow path of unlock: the compare-and-swap @p tid -> 0 failed because a
 * waiter is recorded. Release the lock and wake one waiter. Never leaves
 * the word naming @p tid: a word that names another owner by now (taken
 * over) is left alone, and a release the operating system refuses is
 * done on the word itself (waiters then see it within their wait slice).
 */
void shmbox_port_unlock_slow(_Atomic uint32_t *w, uint32_t tid);

/**
 * Sleep while *@p w == @p expected, at most until @p deadline_ns
 * (0: no deadline). Spurious returns are allowed.
 * @retval 0 woken, value changed or spurious. @retval -ETIMEDOUT deadline.
 */
int shmbox_port_wait(_Atomic uint32_t *w, uint32_t expected, uint64_t deadline_ns);

/** Wake up to @p n sleepers of shmbox_port_wait() on @p w (n = 0: all). */
void shmbox_port_wake(_Atomic uint32_t *w, uint32_t n);

/** A pause inside a spin loop (cpu_relax / yield / WFE hook). */
void shmbox_port_relax(void);

/**
 * Offer the CPU to another runnable thread, if the system has a scheduler
 * (Linux: sched_yield()). A long spin calls it now and then, so that
 * spinners do not starve the very peer they wait for when there are more
 * runnable threads than CPUs. Without a scheduler: a pause, like relax.
 */
void shmbox_port_yield(void);

/**
 * Critical-section brackets around every lock word the component holds:
 * enter is called before the first attempt to take a lock word, exit after
 * the word is given back or the attempt failed. Calls nest (the process
 * table lock is held while a pool lock is taken), so an implementation
 * that masks interrupts keeps a depth count. Must not fail or block.
 * The static port forwards them to the application's hooks below; on
 * Linux they count the thread's depth in a thread-local word.
 */
/* shmbox_port_critical_enter() / shmbox_port_critical_exit(): declared
 * (as functions or as inline code) by the port's own <shmbox/port_impl.h>,
 * included at the end of this file. */

/* ---- system --------------------------------------------------------- */

/** Monotonic clock in nanoseconds (never 0 after boot + 1 ns). */
uint64_t shmbox_port_now_ns(void);

/** The calling thread's lock owner value (<shmbox/owner.h>): nonzero, no
 *  flag bits; a Linux thread id, or SHMBOX_LOCK_FW_OWNER() on firmware. */
uint32_t shmbox_port_tid(void);

/** The calling process's id for the process table (<shmbox/owner.h>):
 *  nonzero; a Linux pid, or SHMBOX_PROC_FIRMWARE | id << 16 | n on
 *  firmware (a new n for every attach). */
uint32_t shmbox_port_pid(void);

/**
 * Have @p child called in the child process after every fork() of the
 * calling process, in the child's one thread, before fork() returns
 * there (Linux: pthread_atfork()). Called once per process by the
 * component. A port whose system cannot fork: does nothing.
 * @retval 0, -ENOMEM (not registered: the component then assumes a fork
 *         may happen unseen and keeps to its safe paths)
 */
int shmbox_port_at_fork(void (*child)(void));

/** shmbox_port_proc_token(): the process exists (or may exist) but its
 *  token cannot be read (out of descriptors, /proc hidden or absent).
 *  The component then treats the process as alive: it never frees the
 *  slots of a process it cannot prove dead. */
#define SHMBOX_PORT_TOKEN_UNKNOWN UINT64_MAX

/**
 * A token identifying the incarnation of process @p pid (e.g. its start
 * time), so that a reused pid is not taken for the same process.
 * @return the token (nonzero), 0 if no such process exists, or
 *         SHMBOX_PORT_TOKEN_UNKNOWN if existence or token cannot be told.
 */
uint64_t shmbox_port_proc_token(uint32_t pid);

/**
 * An identifier of the calling process's PID namespace (Linux: the inode
 * number of /proc/self/ns/pid), or 0 if it cannot be told or the system
 * has no such thing. Processes whose identifiers differ (both nonzero)
 * cannot tell each other's liveness or lock owners: the component refuses
 * to open a region made in another namespace (-EXDEV).
 */
uint64_t shmbox_port_pid_ns(void);

/** The system page size in bytes. */
uint32_t shmbox_port_page_size(void);

#ifdef __cplusplus
}
#endif

/* The chosen port's own declarations (its folder's include/). */
#include <shmbox/port_impl.h>

#endif /* SHMBOX_PORT_H */
