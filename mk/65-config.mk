# SPDX-License-Identifier: MIT
# Configuration: mistakes in a defconfig or fragment, savedefconfig, and
# menuconfig on a consumer's own fragment.
#   make test-config   the three below
#   config-errors        each bad line refused at configure time with
#                        file:line and the symbol, all of them listed;
#                        a correct fragment configures silently
#   config-savedefconfig `make savedefconfig` leaves config/*defconfig alone
#                        (checksums) unless DEFCONFIG_OUT names one; the
#                        command menuconfig prints saves its edits into
#                        its DEFCONFIG; edits made over another defconfig
#                        and a defconfig with mistakes are refused
#   config-menuconfig    an add_subdirectory consumer's shmbox-menuconfig,
#                        driven in a terminal (tmux), edits its fragment
TEST_STEPS += test-config
.PHONY: test-config config-errors config-savedefconfig config-menuconfig

test-config: config-errors config-savedefconfig config-menuconfig
	@echo "test-config: configuration errors, savedefconfig and a consumer's menuconfig passed"

config-errors: deps
	cmake -DSOURCE_DIR=$(CURDIR) -DWORK_DIR=$(abspath $(BUILD))/config-errors -P tests/config/errors.cmake

config-savedefconfig: deps
	tests/config/savedefconfig.sh $(BUILD)/config-savedefconfig

config-menuconfig: deps
	@$(DEPS) config
	tests/config/menuconfig.sh . $(BUILD)/config-menuconfig
