# SPDX-License-Identifier: MIT
# Native unit and integration tests of the default (POSIX) build.
TEST_STEPS += test-native
.PHONY: test-native
test-native: deps
	$(call cmake_build,native,-DCMAKE_BUILD_TYPE=RelWithDebInfo)
	cd $(BUILD)/native && $(CTEST)
