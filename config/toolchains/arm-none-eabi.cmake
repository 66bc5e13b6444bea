# SPDX-License-Identifier: MIT
# Bare-metal Cortex-M4 (hard float) with Debian's gcc-arm-none-eabi and
# picolibc-arm-none-eabi; programs run on qemu-system-arm's mps2-an386
# board with semihosting (printf reaches stdout, exit(n) is qemu's exit
# status). Use with the static port:
#   cmake -S . -B build/firmware -DCMAKE_TOOLCHAIN_FILE=config/toolchains/arm-none-eabi.cmake \
#         -DSHMBOX_DEFCONFIG=config/static.defconfig
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
# No OS to link a test program against while probing the compiler.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(SHMBOX_FW_CPU_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16")
set(CMAKE_C_FLAGS_INIT "${SHMBOX_FW_CPU_FLAGS} --specs=picolibc.specs")
# mps2-an386 memory map: 4 MiB code at 0, 4 MiB RAM at 0x20000000.
set(CMAKE_EXE_LINKER_FLAGS_INIT
    "--oslib=semihost -Wl,--defsym=__flash=0x0 -Wl,--defsym=__flash_size=0x400000 \
-Wl,--defsym=__ram=0x20000000 -Wl,--defsym=__ram_size=0x400000 -Wl,--defsym=__stack_size=0x10000")
set(CMAKE_EXECUTABLE_SUFFIX_C .elf)

# ctest runs every test program on the emulated board.
find_program(SHMBOX_QEMU_SYSTEM_ARM qemu-system-arm REQUIRED)
set(CMAKE_CROSSCOMPILING_EMULATOR ${SHMBOX_QEMU_SYSTEM_ARM} -M mps2-an386 -nographic -monitor none
    -semihosting -kernel)

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
