# SPDX-License-Identifier: MIT
# Bare-metal Cortex-M4 (hard float); programs run on qemu-system-arm's
# mps2-an386 board. Use with the static port:
#   cmake -S . -B build/firmware -DCMAKE_TOOLCHAIN_FILE=config/toolchains/arm-none-eabi.cmake \
#         -DSHMBOX_DEFCONFIG=config/static.defconfig
set(SHMBOX_FW_CPU_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16")
set(SHMBOX_FW_BOARD mps2-an386)
# mps2-an386 memory map: 4 MiB code at 0, 4 MiB RAM at 0x20000000.
set(SHMBOX_FW_FLASH 0x0)
set(SHMBOX_FW_FLASH_SIZE 0x400000)
set(SHMBOX_FW_RAM 0x20000000)
set(SHMBOX_FW_RAM_SIZE 0x400000)
include(${CMAKE_CURRENT_LIST_DIR}/arm-none-eabi-board.cmake)
