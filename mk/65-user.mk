# SPDX-License-Identifier: MIT
# What a new user meets first: the demo, installing, the README.
#   make test-demo     `make demo` on a built tree: the demo's lines come
#                      after at most 10 other lines (tests/demo/demo.sh);
#                      then `make demo-armhf` (static, under qemu-arm)
#   make test-install  configure, build and `cmake --install` with the
#                      tests off and no test framework reachable
#                      (tests/install/install.sh)
#   make test-readme   the README's table of contents and comparison table
#                      exist, and every command it shows is one that
#                      `make test` runs (tests/docs/readme.py); every
#                      source file carries its SPDX license line
#                      (tools/check-spdx.sh); every build tree of the
#                      suite is configured from its preset, CMakePresets.json
#                      (tests/docs/presets.py); component/src keeps to its
#                      layers: no include cycle, no include of a higher
#                      layer (tools/check-layers.py, component/src/layers.txt)
TEST_STEPS += test-demo test-install test-readme
.PHONY: test-demo test-install test-readme

test-demo: deps
	tests/demo/demo.sh $(BUILD)
	@$(DEPS) cross
	@$(MAKE) --no-print-directory demo-armhf >$(BUILD)/demo-armhf.out 2>&1 || \
	  { cat $(BUILD)/demo-armhf.out; echo "test-demo: make demo-armhf failed" >&2; exit 1; }
	@grep -q '^demo: consumer says "all verified"' $(BUILD)/demo-armhf.out && \
	  tail -1 $(BUILD)/demo-armhf.out | grep -q '^demo: region removed (success)$$' || \
	  { cat $(BUILD)/demo-armhf.out; echo "test-demo: the armhf demo did not verify" >&2; exit 1; }
	@echo "test-demo: make demo-armhf ran the static armhf demo under qemu-arm: all verified"

test-install: deps
	tests/install/install.sh $(BUILD)/tools-install-notests $(JOBS)

test-readme: deps
	/usr/bin/python3 tests/docs/readme.py README.md --build $(BUILD)
	/usr/bin/python3 tests/docs/presets.py
	@tools/check-spdx.sh || { echo "test-readme: the files above lack an SPDX-License-Identifier line" >&2; exit 1; }
	@echo "test-readme: every source file has its SPDX-License-Identifier line"
	/usr/bin/python3 tools/check-layers.py
