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
CRASH_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_DIR     := $(BUILD)/crash-fuzz
CRASH_TARGETS := crash_kill crash_hostile crash_init crash_perm crash_enospc fuzz_replay
FUZZ_FLAGS   := -O1 -g $(CRASH_SAN) -fsanitize=fuzzer-no-link

.PHONY: test-tsan-static test-crash test-crash-cross test-soak-short test-fuzz soak fuzz crash-soak-build crash-fuzz-build

test-crash: deps
	@$(DEPS) sanitize
	cmake -S . -B $(BUILD)/crash-asan -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_C_FLAGS=$(CRASH_SAN)" $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD)/crash-asan -j$(JOBS) --target $(CRASH_TARGETS)
	cd $(BUILD)/crash-asan && ASAN_OPTIONS=detect_leaks=0 $(CTEST) -L crash

# Only the crash targets: the full cross suites are the cross steps' job.
test-crash-cross: deps
	@$(DEPS) cross
	@set -e; for arch in armhf aarch64; do \
	  cmake -S . -B $(BUILD)/crash-$$arch -DCMAKE_TOOLCHAIN_FILE=config/toolchains/$$arch.cmake \
	    -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null; \
	  cmake --build $(BUILD)/crash-$$arch -j$(JOBS) --target $(CRASH_TARGETS); \
	  (cd $(BUILD)/crash-$$arch && $(CTEST) -L crash); done

crash-soak-build: deps
	cmake -S . -B $(BUILD)/crash-soak -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD)/crash-soak -j$(JOBS) --target shmbox_soak

test-soak-short: crash-soak-build
	$(BUILD)/crash-soak/tests/soak/shmbox_soak 300 110

soak: crash-soak-build
	$(BUILD)/crash-soak/tests/soak/shmbox_soak $(SOAK_KILLS) 3600

crash-fuzz-build: deps
	@$(DEPS) sanitize
	CC=clang cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=Debug -DSHMBOX_FUZZ=ON \
	  -DSHMBOX_CONFIG_FRAGMENTS=tests/fuzz/fuzz.conf "-DCMAKE_C_FLAGS=$(FUZZ_FLAGS)" $(CMAKE_FLAGS) >/dev/null
	cmake --build $(FUZZ_DIR) -j$(JOBS) --target shmbox_fuzz fuzz_replay

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
TSAN_STATIC_FLAGS := -fsanitize=thread -g -O1
test-tsan-static: deps
	@$(DEPS) sanitize
	CC=clang cmake -S . -B $(BUILD)/crash-tsan-static -DSHMBOX_DEFCONFIG=config/static.defconfig \
	  -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_C_FLAGS=$(TSAN_STATIC_FLAGS)" \
	  "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread" $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD)/crash-tsan-static -j$(JOBS)
	cd $(BUILD)/crash-tsan-static && TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 $(CTEST) -L threads
