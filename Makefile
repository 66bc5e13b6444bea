# shmbox: the two commands of the quick start, and the rest.
#   make demo   build with config/defconfig and run the producer/consumer demo
#   make test   every test: all ports, sanitizers, ARM under qemu, firmware
# Each mk/*.mk adds its targets and appends its test steps to TEST_STEPS.

BUILD ?= build
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
DEPS := tools/deps.sh
CTEST := ctest --output-on-failure -j$(JOBS)

# cmake_build(dir, cmake args): configure and build one tree.
define cmake_build
	cmake -S . -B $(BUILD)/$(1) $(CMAKE_FLAGS) $(2) >/dev/null
	cmake --build $(BUILD)/$(1) -j$(JOBS)
endef

TEST_STEPS :=

.PHONY: help deps deps-all demo test menuconfig savedefconfig clean FORCE
help:
	@echo "make demo | test | menuconfig | savedefconfig | clean   (see README.md)"

deps:
	@$(DEPS) core

demo: deps
	$(call cmake_build,native,-DCMAKE_BUILD_TYPE=RelWithDebInfo)
	$(BUILD)/native/examples/shmbox-demo

# Interactive configuration: menuconfig edits $(BUILD)/kconfig/.config,
# made from $(DEFCONFIG) (again when $(DEFCONFIG) is newer or another one);
# savedefconfig writes its minimal defconfig to $(BUILD)/kconfig/defconfig,
# or to DEFCONFIG_OUT when given (e.g. DEFCONFIG_OUT=config/defconfig; the
# comment lines at the top of that file are kept).
DEFCONFIG ?= config/defconfig
DEFCONFIG_OUT ?= $(BUILD)/kconfig/defconfig
KCONFIG_PY = $$(for p in /usr/bin/python3 python3; do $$p -c 'import kconfiglib' 2>/dev/null && echo $$p && break; done)
KCONFIG_TOOL = $(KCONFIG_PY) config/kconfig_tool.py
$(BUILD)/kconfig/source: FORCE
	@mkdir -p $(@D)
	@echo '$(abspath $(DEFCONFIG))' | cmp -s - $@ || echo '$(abspath $(DEFCONFIG))' > $@
$(BUILD)/kconfig/.config: $(DEFCONFIG) $(BUILD)/kconfig/source
	@$(KCONFIG_TOOL) savedefconfig Kconfig --inputs $(DEFCONFIG) --out $@.min >/dev/null
	@mv $@.min $@
menuconfig: deps $(BUILD)/kconfig/.config
	@$(KCONFIG_TOOL) menuconfig Kconfig --config $(BUILD)/kconfig/.config
	@echo "Now 'make savedefconfig' writes $(DEFCONFIG_OUT) (DEFCONFIG_OUT=$(DEFCONFIG) to update $(DEFCONFIG))."

savedefconfig: deps $(BUILD)/kconfig/.config
	@$(KCONFIG_TOOL) savedefconfig Kconfig --config $(BUILD)/kconfig/.config --out $(DEFCONFIG_OUT)

clean:
	rm -rf $(BUILD)

include $(sort $(wildcard mk/*.mk))

# Everything every step needs, installed in one go (one apt-get update).
deps-all:
	@$(DEPS) core sanitize cross firmware tools config bench docs

test: deps-all
	@set -e; for step in $(TEST_STEPS); do \
	  echo "==== make $$step"; $(MAKE) --no-print-directory $$step; done
	@echo "==== make test: every step passed: $(TEST_STEPS)"
	@echo "steps: $(words $(TEST_STEPS)) passed, 0 failed"
