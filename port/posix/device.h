// SPDX-License-Identifier: MIT
/*
 * POSIX port, device regions (port/posix/device.c): the region functions
 * of port.h for a name that is a path ("/dev/mem@0x9f000000"), called by
 * port/posix/region.c. Same contract as their shmbox_port_region_*
 * counterparts, except as device.c says (create maps existing memory
 * without zeroing it, -ENOSPC for a file too small; unlink invalidates
 * in place).
 */
#ifndef SHMBOX_POSIX_DEVICE_H
#define SHMBOX_POSIX_DEVICE_H

#include <shmbox/port.h>

#if defined(CONFIG_SHMBOX_DEVICE)
/** 1 if @p name is a device locator ("/path" or "/path@offset"). */
#define SBX_DEVICE_NAME(name) ((name)[0] == '/')
#else
#define SBX_DEVICE_NAME(name) 0
#endif

/* A device map's handle is its descriptor with this bit set (descriptors
 * stay below 2^30, the kernel's ceiling on nr_open), so that the region
 * functions tell it from a shm object's. */
#define SBX_DEVICE_TAG ((intptr_t)1 << 30)
#define SBX_HANDLE_FD(h) ((int)((h) & ~SBX_DEVICE_TAG))
#define SBX_HANDLE_IS_DEVICE(h) ((h) >= 0 && ((h) & SBX_DEVICE_TAG) != 0)

/* A bad locator (relative path, offset unaligned or not a number) is
 * -EINVAL. ready() and creating() work on any map of the POSIX port: a
 * shm object's descriptor holds no range lock. */
int sbx_device_create(const char *name, uint64_t size, struct shmbox_port_map *map);
int sbx_device_open(const char *name, struct shmbox_port_map *map);
void sbx_device_ready(struct shmbox_port_map *map);
int sbx_device_creating(const struct shmbox_port_map *map);
int sbx_device_unlink(const char *name);

#endif /* SHMBOX_POSIX_DEVICE_H */
