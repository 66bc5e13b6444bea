# SPDX-License-Identifier: MIT
# Tooling and integration: the shmbox tool's tests, the consumer projects
# (add_subdirectory, find_package, pkg-config, armhf cross build) and the
# API reference.
#   make test-cli         the shmbox tool against real regions (ctest -L cli), built
#                         for the POSIX port (preset tools-cli) and the SysV port
#                         (tools-cli-sysv)
#   make test-consumers   the four consumer builds, each run
#   make docs             the API reference (README front page, port.h, Kconfig
#                         reference), doxygen warnings as errors; docs-shot: a
#                         headless-chromium screenshot of its front page
TEST_STEPS += test-cli test-consumers test-docs
.PHONY: test-cli test-consumers test-docs docs docs-shot consumer-subdir consumer-package consumer-pkgconfig consumer-armhf

TOOLS_TREE := tools-cli
PREFIX_DIR := $(abspath $(BUILD))/tools-prefix
CONSUMER_DIR := tests/consumer
ARMHF_TOOLCHAIN := config/toolchains/armhf.cmake
ARMHF_ARGS := $(if $(wildcard $(ARMHF_TOOLCHAIN)),-DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/$(ARMHF_TOOLCHAIN),\
              -DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR=arm -DCMAKE_C_COMPILER=arm-linux-gnueabihf-gcc)

test-cli: deps
	@$(DEPS) tools
	$(call preset_build,$(TOOLS_TREE))
	cd $(BUILD)/$(TOOLS_TREE) && ctest --output-on-failure -L cli
	$(call preset_build,$(TOOLS_TREE)-sysv)
	cd $(BUILD)/$(TOOLS_TREE)-sysv && ctest --output-on-failure -L cli

test-consumers: consumer-subdir consumer-package consumer-pkgconfig consumer-armhf
	@echo "test-consumers: add_subdirectory, find_package, pkg-config and armhf consumers passed"

# (a) add_subdirectory(shmbox) with the consumer's own Kconfig fragment; the
# consumer checks the region's pools and mailboxes via shmbox_stat(). shmbox
# must build nothing but its library in that tree, and add no targets but
# shmbox-menuconfig and shmbox-savedefconfig (for the consumer's fragment).
consumer-subdir: deps
	cmake -S $(CONSUMER_DIR)/subdir -B $(BUILD)/tools-consumer-subdir -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD)/tools-consumer-subdir -j$(JOBS)
	$(BUILD)/tools-consumer-subdir/consumer subdir
	@targets=$$(cmake --build $(BUILD)/tools-consumer-subdir --target help | sed -n 's/^\.\.\. \([^ ]*\).*/\1/p' | \
	  grep -vxE 'all|clean|depend|edit_cache|rebuild_cache|install|install/local|install/strip|list_install_components|consumer|shmbox|.*\.(o|i|s)'); \
	  if [ "$$(echo $$targets | tr ' ' '\n' | sort | tr '\n' ' ')" != "shmbox-menuconfig shmbox-savedefconfig " ]; then \
	  echo "consumer-subdir: shmbox's own targets must be exactly shmbox-menuconfig and shmbox-savedefconfig, not: $$targets" >&2; exit 1; fi
	@extra=$$(find $(BUILD)/tools-consumer-subdir/shmbox -type f -perm -u+x -name 'shmbox*' -o -name 'CTestTestfile.cmake' | head -5); \
	  if [ -n "$$extra" ]; then echo "consumer-subdir: shmbox built tests or tools: $$extra" >&2; exit 1; fi
	@grep -q 'define CONFIG_SHMBOX_POOL_COUNT 2' $(BUILD)/tools-consumer-subdir/shmbox/shmbox-config/include/shmbox/shmbox_config.h
	@echo "consumer-subdir: only the library was built, with the consumer's config"

# (b) cmake --install into a fresh prefix, then find_package(shmbox).
consumer-package: deps
	$(call preset_build,$(TOOLS_TREE))
	rm -rf $(PREFIX_DIR)
	cmake --install $(BUILD)/$(TOOLS_TREE) --prefix $(PREFIX_DIR) >/dev/null
	@for f in lib/libshmbox.a include/shmbox/shmbox.h include/shmbox/shmbox_config.h bin/shmbox \
	  lib/cmake/shmbox/shmboxConfig.cmake lib/cmake/shmbox/shmboxConfigVersion.cmake \
	  lib/pkgconfig/shmbox.pc share/man/man1/shmbox.1; do \
	  test -f $(PREFIX_DIR)/$$f || { echo "consumer-package: not installed: $$f" >&2; exit 1; }; done
	$(PREFIX_DIR)/bin/shmbox --version
	rm -rf $(BUILD)/tools-consumer-package
	cmake -S $(CONSUMER_DIR)/package -B $(BUILD)/tools-consumer-package -DCMAKE_PREFIX_PATH=$(PREFIX_DIR) \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD)/tools-consumer-package -j$(JOBS)
	$(BUILD)/tools-consumer-package/consumer package

# (c) pkg-config and a plain compiler command line, against the same prefix;
# and a C++ program including the public header (C++11, -pedantic).
consumer-pkgconfig: consumer-package
	mkdir -p $(BUILD)/tools-consumer-pkgconfig
	PKG_CONFIG_PATH=$(PREFIX_DIR)/lib/pkgconfig pkg-config --cflags --libs shmbox
	cc -std=c11 -Wall -Wextra -Werror -pedantic -O2 $(CONSUMER_DIR)/common/consumer.c \
	  $$(PKG_CONFIG_PATH=$(PREFIX_DIR)/lib/pkgconfig pkg-config --cflags --libs shmbox) \
	  -o $(BUILD)/tools-consumer-pkgconfig/consumer
	$(BUILD)/tools-consumer-pkgconfig/consumer pkgconfig
	c++ -std=c++11 -Wall -Wextra -Werror -pedantic -O2 $(CONSUMER_DIR)/common/consumer_cxx.cpp \
	  $$(PKG_CONFIG_PATH=$(PREFIX_DIR)/lib/pkgconfig pkg-config --cflags --libs shmbox) \
	  -o $(BUILD)/tools-consumer-pkgconfig/consumer_cxx
	$(BUILD)/tools-consumer-pkgconfig/consumer_cxx

# (d) the add_subdirectory consumer cross-compiled for armhf, linked
# statically (qemu-user forks only static programs), run under qemu-arm.
consumer-armhf: deps
	@$(DEPS) cross
	cmake -S $(CONSUMER_DIR)/subdir -B $(BUILD)/tools-consumer-armhf $(ARMHF_ARGS) \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_EXE_LINKER_FLAGS=-static >/dev/null
	cmake --build $(BUILD)/tools-consumer-armhf -j$(JOBS)
	@file $(BUILD)/tools-consumer-armhf/consumer 2>/dev/null | grep -q 'ARM' || \
	  readelf -h $(BUILD)/tools-consumer-armhf/consumer | grep -q 'Machine: *ARM'
	qemu-arm $(BUILD)/tools-consumer-armhf/consumer armhf

# API reference: build/docs/html. The front page is README.md; the public
# header, the port contract (port.h) and a reference of every Kconfig
# symbol (tools/kconfig-doc.py, kconfiglib) are in it. No undocumented
# public symbol: doxygen's warnings are errors (docs/Doxyfile).
#   make docs-shot   a headless-browser screenshot of the front page
#                    (Debian chromium), checked not to be blank
docs:
	@$(DEPS) core docs
	rm -rf $(BUILD)/docs && mkdir -p $(BUILD)/docs
	$(KCONFIG_PY) tools/kconfig-doc.py Kconfig $(BUILD)/docs/kconfig.md
	SHMBOX_DOCS_OUT=$(BUILD)/docs SHMBOX_VERSION=$$(sed -n 's/^project(shmbox VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt) \
	  doxygen docs/Doxyfile
	@echo "docs: $(BUILD)/docs/html/index.html"

test-docs: docs
	/usr/bin/python3 tests/docs/docs.py $(BUILD)/docs/html README.md Kconfig

docs-shot: docs
	@$(DEPS) docs-shot
	/usr/bin/python3 tests/docs/docs.py $(BUILD)/docs/html README.md Kconfig --screenshot $(BUILD)/docs/front.png
