# SPDX-License-Identifier: MIT
# Invalid configurations fail config/kconfig.py with
# "<the case's fragment>:<line>: error: <message naming the symbol>".
# The last case: pool 3's default slot size is below pool 2's, blamed on
# the line that made pool 3 exist.
# Run as: cmake -DPYTHON=... -DSOURCE_DIR=... -DWORK_DIR=... -P config_errors.cmake
set(cases
  "CONFIG_SHMBOX_POOL0_SLOT_SIZE=100|:1: error: CONFIG_SHMBOX_POOL0_SLOT_SIZE=100: must be a multiple of 64"
  "CONFIG_SHMBOX_MBOX_COUNT=0|:1: error: CONFIG_SHMBOX_MBOX_COUNT=0: out of range (allowed 1..256)"
  "CONFIG_SHMBOX_MBOX_DEPTH=48|:1: error: CONFIG_SHMBOX_MBOX_DEPTH=48: must be a power of two"
  "CONFIG_SHMBOX_MSG_SIZE=60|:1: error: CONFIG_SHMBOX_MSG_SIZE=60: must be a multiple of 8"
  "CONFIG_SHMBOX_SLOT_CACHE=65|:1: error: CONFIG_SHMBOX_SLOT_CACHE=65: out of range (allowed 0..64)"
  "CONFIG_SHMBOX_PORT_STATIC=y\nCONFIG_SHMBOX_SLOT_CACHE=4|:2: error: CONFIG_SHMBOX_SLOT_CACHE=4: its dependencies are off"
  "CONFIG_SHMBOX_PORT_POSIX=y\nCONFIG_SHMBOX_PORT_SYSV=y|:1: error: CONFIG_SHMBOX_PORT_POSIX=y: not taken"
  "CONFIG_SHMBOX_DEVICE=y\nCONFIG_SHMBOX_DEVICE_OFFSET=0x123|:2: error: CONFIG_SHMBOX_DEVICE_OFFSET=0x123: must be a multiple of 4096"
  "CONFIG_SHMBOX_PORT_SYSV=y\nCONFIG_SHMBOX_SYSV_KEY_BASE=0x1FFFFFFFF|:2: error: CONFIG_SHMBOX_SYSV_KEY_BASE=0x1FFFFFFFF: out of range"
  "CONFIG_SHMBOX_MBOX_COUNT=64\nCONFIG_SHMBOX_MBOX_DEPTH=4096\nCONFIG_SHMBOX_REGION_MAX_MB=16|:3: error: the layout needs 20287488 bytes, over CONFIG_SHMBOX_REGION_MAX_MB=16 MiB (pools 1146880 bytes, mailboxes 19136512 bytes"
  "CONFIG_SHMBOX_POOL_COUNT=4|:1: error: CONFIG_SHMBOX_POOL3_SLOT_SIZE=4096: must be larger than CONFIG_SHMBOX_POOL2_SLOT_SIZE=65536")
file(MAKE_DIRECTORY ${WORK_DIR})
set(n 0)
foreach(c IN LISTS cases)
  string(FIND "${c}" "|" bar)
  string(SUBSTRING "${c}" 0 ${bar} fragment)
  math(EXPR from "${bar} + 1")
  string(SUBSTRING "${c}" ${from} -1 want)
  string(REPLACE "\\n" "\n" fragment "${fragment}")
  file(WRITE ${WORK_DIR}/case${n}.conf "${fragment}\n")
  execute_process(COMMAND ${PYTHON} ${SOURCE_DIR}/config/kconfig.py ${SOURCE_DIR}/Kconfig
                          ${SOURCE_DIR}/config/defconfig ${WORK_DIR}/case${n}/.config
                          ${WORK_DIR}/case${n}/shmbox_config.h ${WORK_DIR}/case${n}.conf
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(rc EQUAL 0)
    message(FATAL_ERROR "accepted: ${fragment}")
  endif()
  if(want MATCHES "^:")
    set(want "case${n}.conf${want}")
  endif()
  string(FIND "${err}" "${want}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${fragment}: wanted \"${want}\", got: ${err}")
  endif()
  message(STATUS "rejected as expected: ${err}")
  math(EXPR n "${n} + 1")
endforeach()
