// SPDX-License-Identifier: MIT
/*
 * The region suite (unit_region) is built from several files, one concern
 * each; every file but test_region.c contributes its TCases through here.
 */
#ifndef REGION_TCASES_H
#define REGION_TCASES_H

#include "unit.h"

/* region_header.c: header validation on open. */
TCase *region_validation_tcase(void);
/* region_header.c: the process table. */
TCase *region_processes_tcase(void);

#endif
