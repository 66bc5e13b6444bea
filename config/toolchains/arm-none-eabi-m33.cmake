# Bare-metal Cortex-M33 (soft float) with Debian's gcc-arm-none-eabi and
# picolibc-arm-none-eabi; programs run on qemu-system-arm's mps2-an521
# board (secure code alias and secure SRAM) with semihosting. Use with the
# static port:
#   cmake -S . -B build/firmware-m33 -DCMAKE_TOOLCHAIN_FILE=config/toolchains/arm-none-eabi-m33.cmake \
#         -DSHMBOX_DEFCONFIG=config/static.defconfig
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(SHMBOX_FW_CPU_FLAGS "-mcpu=cortex-m33 -mthumb -mfloat-abi=soft")
set(CMAKE_C_FLAGS_INIT "${SHMBOX_FW_CPU_FLAGS} --specs=picolibc.specs")
# mps2-an521 memory map: code at 0x10000000, 2 MiB secure SRAM at 0x38000000.
set(CMAKE_EXE_LINKER_FLAGS_INIT
    "--oslib=semihost -Wl,--defsym=__flash=0x10000000 -Wl,--defsym=__flash_size=0x400000 \
-Wl,--defsym=__ram=0x38000000 -Wl,--defsym=__ram_size=0x200000 -Wl,--defsym=__stack_size=0x10000")
set(CMAKE_EXECUTABLE_SUFFIX_C .elf)

find_program(SHMBOX_QEMU_SYSTEM_ARM qemu-system-arm REQUIRED)
set(CMAKE_CROSSCOMPILING_EMULATOR ${SHMBOX_QEMU_SYSTEM_ARM} -M mps2-an521 -nographic -monitor none
    -semihosting -kernel)

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
