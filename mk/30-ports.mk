# SPDX-License-Identifier: MIT
# Ports: the whole suite (unit + integration + port-specific tests) for the
# SysV and static ports, each in its own build tree, and the static port on
# an emulated Cortex-M4 (arm-none-eabi + picolibc, qemu-system-arm
# mps2-an386), with the firmware's code and data size printed.
TEST_STEPS += test-sysv test-static test-firmware
.PHONY: test-sysv test-static test-firmware

test-sysv: deps
	$(call preset_build,sysv)
	cd $(BUILD)/sysv && $(CTEST)

test-static: deps
	$(call preset_build,static)
	cd $(BUILD)/static && $(CTEST)

test-firmware: deps
	@$(DEPS) firmware
	$(call preset_build,firmware)
	cd $(BUILD)/firmware && $(CTEST)
