# Firmware size: flash and RAM of the static port's library per profile
# and per footprint option, on Cortex-M4 and Cortex-M33 at -Os.
#   make size          print the table (also $(BUILD)/size/table.md)
#   make size-readme   write it into README.md ("Firmware size")
#   make test-size     the minimal profile's Cortex-M4 code and control
#                      overhead against their budgets (4096 / 512 bytes),
#                      and README.md's table against `make size`
#   make test-firmware-minimal   the firmware tests (static port and unit
#                      tests on qemu-system-arm mps2-an386) on the minimal
#                      profile, built at -Os
TEST_STEPS += test-firmware-minimal
SIZE_PY = $(KCONFIG_PY) tools/size/size.py $(BUILD)/size
.PHONY: size size-readme test-size test-firmware-minimal

size: deps
	@$(DEPS) firmware
	@$(SIZE_PY)

size-readme: deps
	@$(DEPS) firmware
	@$(SIZE_PY) --readme README.md --update

test-size: deps
	@$(DEPS) firmware
	@$(SIZE_PY) --readme README.md --check --budget

test-firmware-minimal: deps
	@$(DEPS) firmware
	$(call cmake_build,firmware-minimal,-DCMAKE_TOOLCHAIN_FILE=config/toolchains/arm-none-eabi.cmake \
	  -DCMAKE_BUILD_TYPE=MinSizeRel -DSHMBOX_DEFCONFIG=config/minimal.defconfig)
	cd $(BUILD)/firmware-minimal && $(CTEST)
