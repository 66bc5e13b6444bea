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

# Every build tree is described once, by a configure preset of the same
# name: CMakePresets.json (bench/CMakePresets.json for the benchmark trees).
# @$(call preset_configure,preset[,presets dir]): configure $(BUILD)/<preset> from
# its preset when it is not configured yet, when the presets file is newer
# than its CMakeCache.txt, or when CMAKE_FLAGS (appended to the preset's
# own values) differ from those of its last configure by this step. A tree
# configured by hand with `cmake --preset X` is the same tree: make leaves
# it as it is. BUILD=dir puts the trees in dir/<preset> (cmake -B). A value
# given with CMAKE_FLAGS stays in the tree's cache until the tree is removed.
define preset_configure
d=$(abspath $(BUILD))/$(if $(2),bench/)$(1); f='$(CMAKE_FLAGS)'; s=$(if $(2),$(2),.); \
	if [ ! -f $$d/CMakeCache.txt ] || [ $$s/CMakePresets.json -nt $$d/CMakeCache.txt ] || \
	   [ "$$f" != "$$(cat $$d/.preset-flags 2>/dev/null)" ]; then \
	  echo "cmake --preset $(1) -B $$d $$f$(if $(2), (in $(2)))"; \
	  mkdir -p $$d && (cd $$s && cmake --preset $(1) -B $$d $(CMAKE_FLAGS) >$$d/.configure.log 2>&1) || \
	    { cat $$d/.configure.log; exit 1; }; printf '%s\n' "$$f" >$$d/.preset-flags; fi
endef
# preset_build(preset[, cmake --build args]): configure (as above) and build.
define preset_build
	@$(call preset_configure,$(1))
	cmake --build $(BUILD)/$(1) -j$(JOBS) $(2)
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
	@{ $(call preset_configure,native) && \
	  cmake --build $(BUILD)/native -j$(JOBS) --target shmbox-demo; } >$(DEMO_LOG) 2>&1 || \
	  { cat $(DEMO_LOG); echo "demo: the build failed (log: $(DEMO_LOG))" >&2; exit 1; }
	@echo "demo: built $(BUILD)/native/examples/shmbox-demo (build log: $(DEMO_LOG))"
	@$(BUILD)/native/examples/shmbox-demo

# The same demo cross-built for armhf (linked statically) and run under qemu-arm.
demo-armhf: deps
	@$(DEPS) cross
	@mkdir -p $(BUILD)
	@{ $(call preset_configure,armhf) && \
	  cmake --build $(BUILD)/armhf -j$(JOBS) --target shmbox-demo; } >$(DEMO_LOG) 2>&1 || \
	  { cat $(DEMO_LOG); echo "demo-armhf: the build failed (log: $(DEMO_LOG))" >&2; exit 1; }
	@echo "demo-armhf: built $(BUILD)/armhf/examples/shmbox-demo (build log: $(DEMO_LOG))"
	@qemu-arm $(BUILD)/armhf/examples/shmbox-demo

# Interactive configuration: menuconfig edits $(BUILD)/kconfig/.config,
# made from $(DEFCONFIG) (again when $(DEFCONFIG) is newer or another one;
# .config.made keeps it as made, .config.source where from).
# savedefconfig writes a minimal defconfig of $(DEFCONFIG) to
# $(BUILD)/kconfig/defconfig, or to DEFCONFIG_OUT when given (e.g.
# DEFCONFIG_OUT=config/defconfig; the comment lines at the top of that file
# are kept); when .config holds menuconfig edits, of .config instead. It
# never remakes .config, fails on any mistake (as the configure step), and
# refuses to save edits made over another defconfig, or over one changed
# since, writing nothing.
DEFCONFIG_DEFAULT := config/defconfig
DEFCONFIG ?= $(DEFCONFIG_DEFAULT)
DEFCONFIG_OUT ?= $(BUILD)/kconfig/defconfig
# A Python that imports kconfiglib: config/kconfig_python.cmake finds it (once).
KCONFIG_PY = $(eval KCONFIG_PY := $$(shell cmake -P config/kconfig_python.cmake))$(KCONFIG_PY)
KCONFIG_TOOL = $(KCONFIG_PY) config/kconfig_tool.py
$(BUILD)/kconfig/.config.source: FORCE
	@mkdir -p $(@D)
	@echo '$(abspath $(DEFCONFIG))' | cmp -s - $@ || echo '$(abspath $(DEFCONFIG))' > $@
$(BUILD)/kconfig/.config: $(DEFCONFIG) $(BUILD)/kconfig/.config.source
	@$(KCONFIG_TOOL) savedefconfig Kconfig --warn --inputs $(DEFCONFIG) --out $@.min >/dev/null
	@cp $@.min $@.made
	@mv $@.min $@
# The savedefconfig command for this DEFCONFIG.
SAVEDEFCONFIG_CMD = make savedefconfig$(if $(filter-out $(DEFCONFIG_DEFAULT),$(DEFCONFIG)), DEFCONFIG=$(DEFCONFIG))
menuconfig: deps $(BUILD)/kconfig/.config
	@$(KCONFIG_TOOL) menuconfig Kconfig --config $(BUILD)/kconfig/.config
	@echo "Now '$(SAVEDEFCONFIG_CMD)$(if $(filter command line,$(origin DEFCONFIG_OUT)), DEFCONFIG_OUT=$(DEFCONFIG_OUT))' writes $(DEFCONFIG_OUT) ('$(SAVEDEFCONFIG_CMD) DEFCONFIG_OUT=$(DEFCONFIG)' updates $(DEFCONFIG))."

savedefconfig: deps
	@$(KCONFIG_TOOL) savedefconfig Kconfig --inputs $(DEFCONFIG) --working $(BUILD)/kconfig/.config --out $(DEFCONFIG_OUT)

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
