# SPDX-License-Identifier: MIT
# Firmware and Linux processes on one region, live: a Cortex-M33 firmware
# on qemu-system-arm's mps2-an521 (dual core, multi-threaded TCG) whose
# RAM is a file in /dev/shm that Linux processes map at the same time
# (tests/hybrid).
#   make test-hybrid    the tests (in make test): ownership, 100,000
#                       messages and 10,000 slots each way, three senders
#                       and three receivers on one mailbox (idle and with
#                       every CPU loaded), a Linux holder killed, the board
#                       killed and booted again, an armhf process joining
#   make demo-hybrid    the board and a Linux program exchanging messages
#                       and slots, then the region's statistics
#   make bench-hybrid   Linux <-> firmware round trips (also in make bench)
TEST_STEPS += test-hybrid
HYBRID_FW_ELF := $(abspath $(BUILD))/hybrid-fw/tests/hybrid/hybrid_fw.elf
HYBRID_LOG := $(BUILD)/hybrid-build.log
.PHONY: hybrid-build test-hybrid demo-hybrid bench-hybrid

# The firmware, the armhf program and the Linux tree (which knows where
# the other two are). Quiet: the log is shown on failure.
hybrid-build: deps
	@$(DEPS) firmware cross
	@mkdir -p $(BUILD)
	@{ $(call preset_configure,hybrid-fw) && \
	  cmake --build $(BUILD)/hybrid-fw -j$(JOBS) --target hybrid_fw && \
	  $(call preset_configure,hybrid-armhf) && \
	  cmake --build $(BUILD)/hybrid-armhf -j$(JOBS) --target hybrid_host && \
	  $(call preset_configure,hybrid) && \
	  cmake --build $(BUILD)/hybrid -j$(JOBS); } >$(HYBRID_LOG) 2>&1 || \
	  { cat $(HYBRID_LOG); echo "hybrid: the build failed (log: $(HYBRID_LOG))" >&2; exit 1; }
	@echo "hybrid: built $(HYBRID_FW_ELF) and the Linux programs (build log: $(HYBRID_LOG))"

# One board at a time (each test boots its own): -j1. Then the demo.
test-hybrid: hybrid-build
	cd $(BUILD)/hybrid && ctest --output-on-failure -j1 -L hybrid
	@$(MAKE) --no-print-directory demo-hybrid

demo-hybrid: hybrid-build
	@HB_FW=$(HYBRID_FW_ELF) HB_HOST=$(BUILD)/hybrid/tests/hybrid/hybrid_host \
	  HB_CLI=$(BUILD)/hybrid/tools/cli/shmbox tests/hybrid/run.sh demo

# Twice: Linux spinning before it sleeps (the default), and sleeping at
# once (preset hybrid-nospin), where the wake-up path decides.
bench-hybrid: hybrid-build
	@{ $(call preset_configure,hybrid-nospin) && \
	  cmake --build $(BUILD)/hybrid-nospin -j$(JOBS) --target shmbox-bench-hybrid; } >>$(HYBRID_LOG) 2>&1 || \
	  { cat $(HYBRID_LOG); echo "hybrid: the build failed (log: $(HYBRID_LOG))" >&2; exit 1; }
	@$(BUILD)/hybrid/tests/hybrid/shmbox-bench-hybrid --fw $(HYBRID_FW_ELF)
	@echo
	@$(BUILD)/hybrid-nospin/tests/hybrid/shmbox-bench-hybrid --fw $(HYBRID_FW_ELF)
bench: bench-hybrid
