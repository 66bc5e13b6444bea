# SPDX-License-Identifier: MIT
# What the bare-metal toolchain files share: Debian's gcc-arm-none-eabi and
# picolibc-arm-none-eabi, semihosting (printf reaches stdout, exit(n) is
# qemu's exit status), test programs run by ctest on a qemu-system-arm
# board. The including file sets, before including this one:
#   SHMBOX_FW_CPU_FLAGS   -mcpu=... and the float ABI
#   SHMBOX_FW_BOARD       qemu-system-arm's -M board
#   SHMBOX_FW_FLASH, SHMBOX_FW_FLASH_SIZE, SHMBOX_FW_RAM, SHMBOX_FW_RAM_SIZE
#                         the board's memory map (picolibc's linker symbols)
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
# No OS to link a test program against while probing the compiler.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(CMAKE_C_FLAGS_INIT "${SHMBOX_FW_CPU_FLAGS} --specs=picolibc.specs")
set(CMAKE_EXE_LINKER_FLAGS_INIT
    "--oslib=semihost -Wl,--defsym=__flash=${SHMBOX_FW_FLASH} -Wl,--defsym=__flash_size=${SHMBOX_FW_FLASH_SIZE} \
-Wl,--defsym=__ram=${SHMBOX_FW_RAM} -Wl,--defsym=__ram_size=${SHMBOX_FW_RAM_SIZE} -Wl,--defsym=__stack_size=0x10000")
set(CMAKE_EXECUTABLE_SUFFIX_C .elf)

# ctest runs every test program on the emulated board.
find_program(SHMBOX_QEMU_SYSTEM_ARM qemu-system-arm REQUIRED)
set(CMAKE_CROSSCOMPILING_EMULATOR ${SHMBOX_QEMU_SYSTEM_ARM} -M ${SHMBOX_FW_BOARD} -nographic -monitor none
    -semihosting -kernel)

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
