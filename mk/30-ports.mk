# SPDX-License-Identifier: MIT
# Ports: the whole suite (unit + integration + port-specific tests) for the
# SysV and static ports, each in its own build tree, and the static port on
# an emulated Cortex-M4 (arm-none-eabi + picolibc, qemu-system-arm
# mps2-an386), with the firmware's code and data size printed.
TEST_STEPS += test-sysv test-static test-firmware
.PHONY: test-sysv test-static test-firmware

test-sysv: deps
	$(call cmake_build,sysv,-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSHMBOX_DEFCONFIG=config/sysv.defconfig)
	cd $(BUILD)/sysv && $(CTEST)

test-static: deps
	$(call cmake_build,static,-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSHMBOX_DEFCONFIG=config/static.defconfig)
	cd $(BUILD)/static && $(CTEST)

test-firmware: deps
	@$(DEPS) firmware
	$(call cmake_build,firmware,-DCMAKE_TOOLCHAIN_FILE=config/toolchains/arm-none-eabi.cmake \
	  -DCMAKE_BUILD_TYPE=MinSizeRel -DSHMBOX_DEFCONFIG=config/static.defconfig)
	cd $(BUILD)/firmware && $(CTEST)
