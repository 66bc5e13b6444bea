# SPDX-License-Identifier: MIT
# Bare-metal Cortex-M33 (soft float); programs run on qemu-system-arm's
# mps2-an521 board (secure code alias and secure SRAM). Use with the
# static port:
#   cmake -S . -B build/firmware-m33 -DCMAKE_TOOLCHAIN_FILE=config/toolchains/arm-none-eabi-m33.cmake \
#         -DSHMBOX_DEFCONFIG=config/static.defconfig
set(SHMBOX_FW_CPU_FLAGS "-mcpu=cortex-m33 -mthumb -mfloat-abi=soft")
set(SHMBOX_FW_BOARD mps2-an521)
# mps2-an521 memory map: code at 0x10000000, 2 MiB secure SRAM at 0x38000000.
set(SHMBOX_FW_FLASH 0x10000000)
set(SHMBOX_FW_FLASH_SIZE 0x400000)
set(SHMBOX_FW_RAM 0x38000000)
set(SHMBOX_FW_RAM_SIZE 0x200000)
include(${CMAKE_CURRENT_LIST_DIR}/arm-none-eabi-board.cmake)
