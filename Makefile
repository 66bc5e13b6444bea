# SPDX-License-Identifier: MIT
# shmbox: the two commands of the quick start, and the rest.
#   make demo   build with config/defconfig and run the producer/consumer demo
#   make test   every test: all ports, sanitizers, ARM under qemu, firmware
# Each mk/*.mk adds its targets and appends its test steps to TEST_STEPS.

BUILD ?= build
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
# Missing Debian packages are installed by tools/deps.sh (as root; as
# another user it prints the apt-get line and stops). DEPS=true skips that
# step: make DEPS=true demo.
DEPS ?= tools/deps.sh
CTEST := ctest --output-on-failure -j$(JOBS)

# cmake_build(dir, cmake args): configure and build one tree.
define cmake_build
	cmake -S . -B $(BUILD)/$(1) $(CMAKE_FLAGS) $(2) >/dev/null
	cmake --build $(BUILD)/$(1) -j$(JOBS)
endef

TEST_STEPS :=

.PHONY: help deps deps-all demo demo-armhf test menuconfig savedefconfig clean FORCE
help:
	@echo "make demo | test | menuconfig | savedefconfig | clean   (see README.md)"

deps:
	@$(DEPS) core

# The demo builds only its own program (in the tree test-native uses), with
# the build's output in a log shown only on failure, then runs it.
DEMO_LOG := $(BUILD)/demo-build.log
demo: deps
	@mkdir -p $(BUILD)
	@{ cmake -S . -B $(BUILD)/native $(CMAKE_FLAGS) -DCMAKE_BUILD_TYPE=RelWithDebInfo && \
	  cmake --build $(BUILD)/native -j$(JOBS) --target shmbox-demo; } >$(DEMO_LOG) 2>&1 || \
	  { cat $(DEMO_LOG); echo "demo: the build failed (log: $(DEMO_LOG))" >&2; exit 1; }
	@echo "demo: built $(BUILD)/native/examples/shmbox-demo (build log: $(DEMO_LOG))"
	@$(BUILD)/native/examples/shmbox-demo

# The same demo cross-built for armhf (linked statically) and run under qemu-arm.
demo-armhf: deps
	@$(DEPS) cross
	@mkdir -p $(BUILD)
	@{ cmake --preset armhf -B $(BUILD)/armhf $(CMAKE_FLAGS) && \
	  cmake --build $(BUILD)/armhf -j$(JOBS) --target shmbox-demo; } >$(DEMO_LOG) 2>&1 || \
	  { cat $(DEMO_LOG); echo "demo-armhf: the build failed (log: $(DEMO_LOG))" >&2; exit 1; }
	@echo "demo-armhf: built $(BUILD)/armhf/examples/shmbox-demo (build log: $(DEMO_LOG))"
	@qemu-arm $(BUILD)/armhf/examples/shmbox-demo

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
