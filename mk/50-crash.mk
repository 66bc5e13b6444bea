# SPDX-License-Identifier: MIT
# Crash safety and hostile input (tests/crash, tests/soak, tests/fuzz).
#   test-crash        the crash tests (kill, hostile bytes, init races,
#                     permissions, ENOSPC) in an ASan+UBSan build
#   test-crash-cross  the crash tests under qemu-arm and qemu-aarch64
#   test-soak-short   random-kill soak, 300 kills (about 10 s)
#   test-fuzz         fuzz regressions + a 60 s libFuzzer smoke run
#   test-tsan-static  ThreadSanitizer on the static port's threaded tests
#   soak              the long soak: SOAK_KILLS kills (default 20000)
#   fuzz              the long fuzz run: FUZZ_SECONDS (default 900)
# The crash tests are ctest tests (label "crash"), so every tree runs them:
# test-native, test-asan (ASan+UBSan), test-armhf and test-aarch64 (qemu).
# test-crash and test-crash-cross run just them, for quick checks; they
# are not make test steps since those trees already cover them.
TEST_STEPS += test-soak-short test-fuzz test-tsan-static

SOAK_KILLS   ?= 20000
FUZZ_SECONDS ?= 900
# The trees: presets crash-asan, crash-fuzz, crash-tsan-static, and the
# native, armhf and aarch64 trees (CMakePresets.json).
FUZZ_DIR     := $(BUILD)/crash-fuzz
CRASH_TARGETS := crash_kill crash_hostile crash_init crash_perm crash_enospc fuzz_replay

.PHONY: test-tsan-static test-crash test-crash-cross test-soak-short test-fuzz soak fuzz crash-soak-build crash-fuzz-build

test-crash: deps
	@$(DEPS) sanitize
	$(call preset_build,crash-asan,--target $(CRASH_TARGETS))
	cd $(BUILD)/crash-asan && ASAN_OPTIONS=detect_leaks=0 $(CTEST) -L crash

# Only the crash targets, in the armhf and aarch64 trees: the full cross
# suites are the cross steps' job.
test-crash-cross: deps
	@$(DEPS) cross
	$(call preset_build,armhf,--target $(CRASH_TARGETS))
	cd $(BUILD)/armhf && $(CTEST) -L crash
	$(call preset_build,aarch64,--target $(CRASH_TARGETS))
	cd $(BUILD)/aarch64 && $(CTEST) -L crash

# The soak program of the native tree.
crash-soak-build: deps
	$(call preset_build,native,--target shmbox_soak)

test-soak-short: crash-soak-build
	$(BUILD)/native/tests/soak/shmbox_soak 300 110

soak: crash-soak-build
	$(BUILD)/native/tests/soak/shmbox_soak $(SOAK_KILLS) 3600

crash-fuzz-build: deps
	@$(DEPS) sanitize
	$(call preset_build,crash-fuzz,--target shmbox_fuzz fuzz_replay)

# A crash leaves its input in tests/fuzz/regressions/ (commit it with the
# fix: fuzz_regressions replays it in every build from then on).
FUZZ_RUN = cd $(FUZZ_DIR) && mkdir -p corpus && ./tests/fuzz/shmbox_fuzz -max_len=512 -timeout=10 \
	  -artifact_prefix=$(CURDIR)/tests/fuzz/regressions/ -print_final_stats=1
test-fuzz: crash-fuzz-build
	cd $(FUZZ_DIR) && ./tests/fuzz/fuzz_replay $(CURDIR)/tests/fuzz/regressions $(CURDIR)/tests/fuzz/corpus
	$(FUZZ_RUN) -max_total_time=60 corpus $(CURDIR)/tests/fuzz/corpus

fuzz: crash-fuzz-build
	$(FUZZ_RUN) -max_total_time=$(FUZZ_SECONDS) corpus $(CURDIR)/tests/fuzz/corpus

# The static port serves the threads of one process: its threaded tests
# (label "threads") under ThreadSanitizer.
test-tsan-static: deps
	@$(DEPS) sanitize
	$(call preset_build,crash-tsan-static)
	cd $(BUILD)/crash-tsan-static && TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 $(CTEST) -L threads
