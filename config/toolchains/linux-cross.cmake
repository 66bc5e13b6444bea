# SPDX-License-Identifier: MIT
# Common part of the Linux cross toolchain files (armhf.cmake, aarch64.cmake):
# Debian's cross gcc for SHMBOX_CROSS_TRIPLET, qemu-user as the emulator
# ctest runs test programs with, and find-roots for Debian multiarch.
set(CMAKE_SYSTEM_NAME Linux)

set(CMAKE_C_COMPILER ${SHMBOX_CROSS_TRIPLET}-gcc)
set(CMAKE_AR ${SHMBOX_CROSS_TRIPLET}-ar CACHE FILEPATH "")
set(CMAKE_RANLIB ${SHMBOX_CROSS_TRIPLET}-ranlib CACHE FILEPATH "")

find_program(SHMBOX_QEMU ${SHMBOX_CROSS_QEMU})
if(NOT SHMBOX_QEMU)
  message(FATAL_ERROR "shmbox: ${SHMBOX_CROSS_QEMU} not found: run tools/deps.sh cross (Debian package qemu-user)")
endif()
# -L: where a dynamically linked program finds its loader and libraries.
# Static programs (every test) ignore it.
set(CMAKE_CROSSCOMPILING_EMULATOR ${SHMBOX_QEMU} -L /usr/${SHMBOX_CROSS_TRIPLET})

# Libraries and headers of the target: the cross libc in /usr/<triplet>,
# and Debian multiarch packages (check:armhf, libsubunit-dev:arm64, ...)
# in /usr/lib/<triplet> and /usr/include, which find_library() reaches from
# the root "/" through CMAKE_LIBRARY_ARCHITECTURE. Programs (python, the
# Kconfig tools) are the build machine's.
set(CMAKE_LIBRARY_ARCHITECTURE ${SHMBOX_CROSS_TRIPLET})
set(CMAKE_FIND_ROOT_PATH /usr/${SHMBOX_CROSS_TRIPLET} /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# pkg-config must not hand the build machine's flags to the target.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/${SHMBOX_CROSS_TRIPLET}/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
