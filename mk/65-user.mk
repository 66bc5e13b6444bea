# SPDX-License-Identifier: MIT
# What a new user meets first: the demo, installing, the README.
#   make test-demo     `make demo` on a built tree: the demo's lines come
#                      after at most 10 other lines (tests/demo/demo.sh)
#   make test-install  configure, build and `cmake --install` with the
#                      tests off and no test framework reachable
#                      (tests/install/install.sh)
#   make test-readme   the README's table of contents and comparison table
#                      exist, and every command it shows is one that
#                      `make test` runs (tests/docs/readme.py)
TEST_STEPS += test-demo test-install test-readme
.PHONY: test-demo test-install test-readme

test-demo: deps
	tests/demo/demo.sh $(BUILD)

test-install: deps
	tests/install/install.sh $(BUILD)/tools-install-notests $(JOBS)

test-readme:
	/usr/bin/python3 tests/docs/readme.py README.md
