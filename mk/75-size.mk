# SPDX-License-Identifier: MIT
# Firmware size: flash and RAM of the static port's library per profile
# and per footprint option, on Cortex-M4 and Cortex-M33 at -Os.
#   make size          print the table (also $(BUILD)/size/table.md); the
#                      builds: presets size-<m4|m33>-<label>, trees $(BUILD)/<preset>
#   make size-readme   write it into README.md ("Firmware size")
#   make test-size-table   README.md's table against `make size`, and the
#                      minimal profile's Cortex-M4 code and control overhead
#                      printed (in make test)
#   make test-size     the same, failing when the minimal profile is over
#                      its budget (4096 bytes of code, 512 bytes of control
#                      overhead). Not in make test while the profile is over
#                      it (code 8.3 KB, control 1.4 KB today); once it fits,
#                      replace test-size-table by test-size in TEST_STEPS.
#   make test-firmware-minimal   the firmware tests (static port and unit
#                      tests on qemu-system-arm mps2-an386) on the minimal
#                      profile, built at -Os
TEST_STEPS += test-firmware-minimal test-size-table
SIZE_PY = $(KCONFIG_PY) tools/size/size.py $(BUILD)
.PHONY: size size-readme test-size test-size-table test-firmware-minimal

size: deps
	@$(DEPS) firmware
	@$(SIZE_PY)

size-readme: deps
	@$(DEPS) firmware
	@$(SIZE_PY) --readme README.md --update

test-size: deps
	@$(DEPS) firmware
	@$(SIZE_PY) --readme README.md --check --budget

test-size-table: deps
	@$(DEPS) firmware
	@$(SIZE_PY) --readme README.md --check --budget-report

test-firmware-minimal: deps
	@$(DEPS) firmware
	$(call preset_build,firmware-minimal)
	cd $(BUILD)/firmware-minimal && $(CTEST)
