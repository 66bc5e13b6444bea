# SPDX-License-Identifier: MIT
# Cross build for 64-bit ARM Linux (AArch64, Debian "arm64").
#
#   cmake --preset aarch64          (or: cmake -S . -B build/aarch64
#       -DCMAKE_TOOLCHAIN_FILE=config/toolchains/aarch64.cmake)
#
# ctest runs every test under qemu-user (no binfmt_misc needed). Tests are
# linked statically when cross-compiling (tests/CMakeLists.txt): qemu-user
# cannot fork() dynamically linked programs. The -L sysroot below is only
# used by dynamically linked programs (the demo, the tools).
#
# Debian packages: tools/deps.sh cross
set(SHMBOX_CROSS_TRIPLET aarch64-linux-gnu)
set(SHMBOX_CROSS_QEMU qemu-aarch64)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/linux-cross.cmake)
