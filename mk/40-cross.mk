# SPDX-License-Identifier: MIT
# ARM under qemu-user: the complete suite cross-built for armhf and aarch64
# and run under emulation, for both Linux ports (POSIX and SysV), and one
# region shared by x86_64, armhf and aarch64 processes at once.
#   make test-armhf    presets armhf + armhf-sysv: configure, build, ctest
#                      under qemu-arm; the same tests as the native build
#                      of that config, all run, none skipped
#   make test-aarch64  the same with aarch64 + aarch64-sysv, qemu-aarch64
#   make test-mixed    shmbox-layout output byte-for-byte identical on the
#                      three architectures, then tests/cross/mixed.sh: one
#                      x86_64, one armhf and one aarch64 process on one
#                      region (POSIX port, then SysV port)
#   make cross         just build the armhf and aarch64 trees
# The trees are $(BUILD)/<preset> (CMakePresets.json), so by hand:
#   cmake --preset armhf && cmake --build --preset armhf && ctest --preset armhf
TEST_STEPS += test-armhf test-aarch64 test-mixed
.PHONY: cross-deps cross test-armhf test-aarch64 test-mixed cross-native-ref

# The native trees the cross suites are compared with (configured, not
# built here): $(BUILD)/native and $(BUILD)/sysv, the trees of test-native
# and test-sysv.
CROSS_REF_posix := native
CROSS_REF_sysv := sysv
CROSS_SUITE := tests/cross/suite.sh

cross-deps: deps
	@$(DEPS) cross

cross-native-ref: deps
	@$(call preset_configure,$(CROSS_REF_posix))
	@$(call preset_configure,$(CROSS_REF_sysv))

# cross_tree(preset): configure and build $(BUILD)/<preset> from its preset.
cross_tree = $(call preset_build,$(1))

# cross_suite(arch): build and run both ports' suites of one architecture.
define cross_suite
	$(call cross_tree,$(1))
	$(CROSS_SUITE) $(BUILD)/$(CROSS_REF_posix) $(BUILD)/$(1) -j$(JOBS)
	$(call cross_tree,$(1)-sysv)
	$(CROSS_SUITE) $(BUILD)/$(CROSS_REF_sysv) $(BUILD)/$(1)-sysv -j$(JOBS)
endef

test-armhf: cross-deps cross-native-ref
	$(call cross_suite,armhf)

test-aarch64: cross-deps cross-native-ref
	$(call cross_suite,aarch64)

cross: cross-deps
	$(call cross_tree,armhf)
	$(call cross_tree,aarch64)

# The mixed test needs shmbox-mixed and shmbox-layout in the native, armhf
# and aarch64 trees of each Linux port (already built by the steps above in
# `make test`; built here when run alone).
MIXED_TARGETS := --target shmbox-mixed shmbox-layout
# mixed_run(native tree, armhf preset, aarch64 preset)
define mixed_run
	$(call preset_build,$(1),$(MIXED_TARGETS))
	$(call preset_build,$(2),$(MIXED_TARGETS))
	$(call preset_build,$(3),$(MIXED_TARGETS))
	tests/cross/mixed.sh $(BUILD)/$(1) $(BUILD)/$(2) $(BUILD)/$(3)
endef
test-mixed: cross-deps cross-native-ref
	$(call mixed_run,$(CROSS_REF_posix),armhf,aarch64)
	$(call mixed_run,$(CROSS_REF_sysv),armhf-sysv,aarch64-sysv)
