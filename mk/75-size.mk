# SPDX-License-Identifier: MIT
# Firmware size: flash and RAM of the static port's library per profile
# and per footprint option, on Cortex-M4 and Cortex-M33 at -Os.
#   make size          print the table (also $(BUILD)/size/table.md); the
#                      builds: presets size-<m4|m33>-<label>, trees $(BUILD)/<preset>
#   make size-readme   write it into README.md ("Firmware size")
#   make test-size     README.md's table against `make size`, and the
#                      minimal profile's Cortex-M4 code and control overhead
#                      printed, failing above its budget (4096 bytes of
#                      code, 512 bytes of control overhead); in make test
#   make test-size-table   the same, reporting the budget without failing
#   make test-firmware-minimal   the firmware tests (static port and unit
#                      tests on qemu-system-arm mps2-an386) on the minimal
#                      profile, built at -Os
TEST_STEPS += test-firmware-minimal test-size
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
