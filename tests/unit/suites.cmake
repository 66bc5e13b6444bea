# SPDX-License-Identifier: MIT
# Unit suites built from several files (one concern each): test_<suite>.c
# holds main(), the files listed in SHMBOX_UNIT_EXTRA_<suite> contribute
# test cases through a small header (region_tcases.h, pool_tests.h). They
# are not named test_*.c: every test_*.c is a program of its own (here and
# in tests/firmware). Included by tests/unit and tests/firmware.
set(SHMBOX_UNIT_EXTRA_region region_header.c)
set(SHMBOX_UNIT_EXTRA_pool pool_integrity.c)
# The minimal core's library has no fingerprint code unless it has failure
# details: the region tests forge fingerprints with the format module's.
if(CONFIG_SHMBOX_MINIMAL_CORE AND NOT CONFIG_SHMBOX_ERROR_DETAIL)
  list(APPEND SHMBOX_UNIT_EXTRA_region ../../component/format/format.c)
endif()
