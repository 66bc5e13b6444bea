# SPDX-License-Identifier: MIT
# Cross build for 32-bit ARM Linux (ARMv7-A, hard float, Debian "armhf").
#
#   cmake --preset armhf            (or: cmake -S . -B build/armhf
#       -DCMAKE_TOOLCHAIN_FILE=config/toolchains/armhf.cmake)
#
# ctest runs every test under qemu-user (no binfmt_misc needed). Tests are
# linked statically when cross-compiling (tests/CMakeLists.txt): qemu-user
# cannot fork() dynamically linked programs. The -L sysroot below is only
# used by dynamically linked programs (the demo, the tools).
#
# Debian packages: tools/deps.sh cross
set(SHMBOX_CROSS_TRIPLET arm-linux-gnueabihf)
set(SHMBOX_CROSS_QEMU qemu-arm)
set(CMAKE_SYSTEM_PROCESSOR arm)
# Debian armhf's baseline, spelled out so the build does not depend on the
# compiler's configured default.
set(CMAKE_C_FLAGS_INIT "-march=armv7-a+fp -mfloat-abi=hard")
include(${CMAKE_CURRENT_LIST_DIR}/linux-cross.cmake)
