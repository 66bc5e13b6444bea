# SPDX-License-Identifier: MIT
# Native unit and integration tests of the default (POSIX) build.
TEST_STEPS += test-native
.PHONY: test-native
test-native: deps
	$(call preset_build,native)
	cd $(BUILD)/native && $(CTEST)
