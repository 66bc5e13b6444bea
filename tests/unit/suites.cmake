# SPDX-License-Identifier: MIT
# Unit suites built from several files (one concern each): test_<suite>.c
# holds main(), the files listed in SHMBOX_UNIT_EXTRA_<suite> contribute
# test cases through a small header (region_tcases.h, pool_tests.h). They
# are not named test_*.c: every test_*.c is a program of its own (here and
# in tests/firmware). Included by tests/unit and tests/firmware.
set(SHMBOX_UNIT_EXTRA_region region_header.c)
set(SHMBOX_UNIT_EXTRA_pool pool_integrity.c)
