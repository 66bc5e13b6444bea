# SPDX-License-Identifier: MIT
# Sanitizer builds of the whole suite, with clang (so the -Werror warning
# set is also proven with clang), each in its own build tree.
#   test-asan  AddressSanitizer + UndefinedBehaviorSanitizer; every test;
#              the first report is fatal (-fno-sanitize-recover=all).
#   test-tsan  ThreadSanitizer. Tests labelled "multiprocess" are left out:
#              TSan instruments the accesses of one process only, so what
#              other processes do to the shared region is invisible to it
#              and it could never report a race there (those tests would
#              only run slower). The tests where several threads share one
#              handle (label "threads", tests/integration/test_threads.c;
#              the static port's thread tests likewise) are what it checks,
#              and the single-process unit tests run too.
#   test-minimal-asan  the minimal core (SHMBOX_MINIMAL_CORE) on the host
#              under ASan + UBSan: unit, format and thread tests on the
#              minimal profile with room for the thread tests
#              (tests/config/minimal-host.conf); static_nm is left out
#              (the sanitizers' own symbols).
TEST_STEPS += test-asan test-tsan test-minimal-asan
.PHONY: test-asan test-tsan test-minimal-asan

# The trees and their flags: presets asan and tsan (CMakePresets.json);
# another compiler: CMAKE_FLAGS=-DCMAKE_C_COMPILER=gcc.

test-asan: deps
	@$(DEPS) sanitize
	$(call preset_build,asan)
	cd $(BUILD)/asan && ASAN_OPTIONS=abort_on_error=0:detect_stack_use_after_return=1 \
	  UBSAN_OPTIONS=print_stacktrace=1 $(CTEST)

test-tsan: deps
	@$(DEPS) sanitize
	$(call preset_build,tsan)
	cd $(BUILD)/tsan && TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 $(CTEST) -LE multiprocess

test-minimal-asan: deps
	@$(DEPS) sanitize
	$(call preset_build,minimal-asan)
	cd $(BUILD)/minimal-asan && ASAN_OPTIONS=abort_on_error=0:detect_stack_use_after_return=1 \
	  UBSAN_OPTIONS=print_stacktrace=1 $(CTEST) -E static_nm
