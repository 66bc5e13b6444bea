// SPDX-License-Identifier: MIT
/* A handle and its mapping, shared by create and open (region_map.c). */
#ifndef SHMBOX_REGION_MAP_H
#define SHMBOX_REGION_MAP_H

#include <shmbox/port.h>
#include <shmbox/shmbox.h>

/* 1 if @p name is a region name this build accepts (with
 * CONFIG_SHMBOX_DEVICE also a device locator, which the port parses). */
int sbx_region_name_valid(const char *name);

/* 1 if CONFIG_SHMBOX_PAGE_SIZE is a multiple of the OS page. */
int sbx_region_page_size_ok(void);

/* Start a create or open on @p sb: 0, -EINVAL (NULL, bad name or page
 * size), -EBUSY (@p sb is an open handle). Clears @p sb. */
int sbx_region_begin(shmbox_t *sb, const char *name);

/* Fill @p sb from a port mapping and the region's name; marks it open. */
void sbx_region_set_handle(shmbox_t *sb, const struct shmbox_port_map *map, const char *name);

/* Give the mapping back to the port; marks @p sb not open. */
void sbx_region_unmap(shmbox_t *sb);

#endif /* SHMBOX_REGION_MAP_H */
