# SPDX-License-Identifier: MIT
# The configure step refuses every mistake in a defconfig or fragment with
# "file:line: error: message" naming the symbol, lists all of them, and
# stays silent for a correct fragment. Each case configures shmbox itself
# (library only) in one reused build tree.
#   cmake -DSOURCE_DIR=<shmbox> -DWORK_DIR=<dir> [-DCONFIGURE_ARGS=...] -P errors.cmake
# A case: "name|fragment lines (\n between)|expected|expected..."
# Each expected entry is "LINE:text": the error must be on that line of the
# fragment and contain the text; exactly that many errors are expected.
cmake_minimum_required(VERSION 3.21)
set(cases
  "typo|CONFIG_SHMBOX_POOL_CONT=2|1:undefined symbol SHMBOX_POOL_CONT"
  "invalid|CONFIG_SHMBOX_MSG_SIZE=abc|1:the value 'abc' is invalid for SHMBOX_MSG_SIZE"
  "deps-off|CONFIG_SHMBOX_POOL5_SLOT_SIZE=4096|1:CONFIG_SHMBOX_POOL5_SLOT_SIZE=4096: its dependencies are off (depends on SHMBOX_POOL_COUNT > 5, now CONFIG_SHMBOX_POOL_COUNT=3)"
  "range|CONFIG_SHMBOX_MBOX_COUNT=1000|1:CONFIG_SHMBOX_MBOX_COUNT=1000: out of range (allowed 1..256)"
  "bool|CONFIG_SHMBOX_STATS=maybe|1:'maybe' is not a valid value for the bool symbol SHMBOX_STATS"
  "malformed|# a comment\nSHMBOX_MSG_SIZE=64|2:ignoring malformed line 'SHMBOX_MSG_SIZE=64'"
  "twice|CONFIG_SHMBOX_MSG_SIZE=64\nCONFIG_SHMBOX_MSG_SIZE=128|2:CONFIG_SHMBOX_MSG_SIZE is assigned again (first at line 1)"
  "two-bad|CONFIG_SHMBOX_POOL_CONT=2\n# fine\nCONFIG_SHMBOX_MBOX_COUNT=4\nCONFIG_SHMBOX_MSG_SIZE=abc|1:SHMBOX_POOL_CONT|4:SHMBOX_MSG_SIZE"
  "all-four|CONFIG_SHMBOX_POOL_CONT=2\nCONFIG_SHMBOX_MSG_SIZE=abc\nCONFIG_SHMBOX_POOL5_SLOT_SIZE=4096\nCONFIG_SHMBOX_MAX_PROCS=0|1:SHMBOX_POOL_CONT|2:SHMBOX_MSG_SIZE|3:SHMBOX_POOL5_SLOT_SIZE|4:CONFIG_SHMBOX_MAX_PROCS=0: out of range"
  "layout|CONFIG_SHMBOX_POOL0_SLOT_SIZE=100\nCONFIG_SHMBOX_POOL2_SLOT_SIZE=512\nCONFIG_SHMBOX_MBOX_DEPTH=48\nCONFIG_SHMBOX_MSG_SIZE=60|1:CONFIG_SHMBOX_POOL0_SLOT_SIZE=100: must be a multiple of 64|2:CONFIG_SHMBOX_POOL2_SLOT_SIZE=512: must be larger than CONFIG_SHMBOX_POOL1_SLOT_SIZE=1024|3:CONFIG_SHMBOX_MBOX_DEPTH=48: must be a power of two|4:CONFIG_SHMBOX_MSG_SIZE=60: must be a multiple of 8"
  "mode|CONFIG_SHMBOX_MODE=\"0999\"|1:CONFIG_SHMBOX_MODE=\"0999\": must be octal"
  "region|CONFIG_SHMBOX_POOL2_SLOT_COUNT=1000\nCONFIG_SHMBOX_REGION_MAX_MB=16|2:over CONFIG_SHMBOX_REGION_MAX_MB=16 MiB"
  "region-mbox|CONFIG_SHMBOX_MBOX_COUNT=64\nCONFIG_SHMBOX_MBOX_DEPTH=4096\nCONFIG_SHMBOX_REGION_MAX_MB=16|3:(pools 1146880 bytes, mailboxes 19136512 bytes, header 4096 bytes): lower SHMBOX_MBOX_COUNT/MBOX_DEPTH/MSG_SIZE (the mailboxes), or SHMBOX_POOL<n>_SLOT_COUNT/SLOT_SIZE (the pools)"
  # The bound left at its default: the line that made the bigger part big.
  "region-default|CONFIG_SHMBOX_MBOX_COUNT=256\nCONFIG_SHMBOX_MBOX_DEPTH=65536|2:lower SHMBOX_MBOX_COUNT/MBOX_DEPTH/MSG_SIZE (the mailboxes), or SHMBOX_POOL<n>_SLOT_COUNT/SLOT_SIZE (the pools) (CONFIG_SHMBOX_REGION_MAX_MB is its Kconfig default)"
  # An assignment that does not take effect: two members of the port
  # choice set to y in one file, a member set to n that stays selected.
  "two-ports|CONFIG_SHMBOX_PORT_POSIX=y\nCONFIG_SHMBOX_PORT_SYSV=y|1:CONFIG_SHMBOX_PORT_POSIX=y: not taken, CONFIG_SHMBOX_PORT_SYSV=y at line 2 of the same file selects another member"
  "port-off|# CONFIG_SHMBOX_PORT_POSIX is not set|1:CONFIG_SHMBOX_PORT_POSIX=n: not taken, it is still the selected member of the choice"
  "device-offset|CONFIG_SHMBOX_DEVICE=y\nCONFIG_SHMBOX_DEVICE_OFFSET=0x123|2:CONFIG_SHMBOX_DEVICE_OFFSET=0x123: must be a multiple of 4096"
  "sysv-key|CONFIG_SHMBOX_PORT_SYSV=y\nCONFIG_SHMBOX_SYSV_KEY_BASE=0x1FFFFFFFF|2:CONFIG_SHMBOX_SYSV_KEY_BASE=0x1FFFFFFFF: out of range (allowed 0x0..0xffffffff)"
  "static-cache|CONFIG_SHMBOX_PORT_STATIC=y\nCONFIG_SHMBOX_SLOT_CACHE=4|2:CONFIG_SHMBOX_SLOT_CACHE=4: its dependencies are off"
  # Sections under a page only where no Linux process maps the region.
  "page-linux|CONFIG_SHMBOX_PAGE_SIZE=64|1:CONFIG_SHMBOX_PAGE_SIZE=64: out of range (allowed 4096..65536)"
  "page-static|CONFIG_SHMBOX_PORT_STATIC=y\nCONFIG_SHMBOX_PAGE_SIZE=32|2:CONFIG_SHMBOX_PAGE_SIZE=32: out of range (allowed 64..65536)"
  "page-pow2|CONFIG_SHMBOX_PORT_STATIC=y\nCONFIG_SHMBOX_PAGE_SIZE=96|2:CONFIG_SHMBOX_PAGE_SIZE=96: must be a power of two"
  # The fragment turns off what the defconfig set: not an error.
  "good-static-64|CONFIG_SHMBOX_PORT_STATIC=y\nCONFIG_SHMBOX_PAGE_SIZE=64\n# CONFIG_SHMBOX_ERROR_STRINGS is not set\n# CONFIG_SHMBOX_ERROR_DETAIL is not set|"
  "good-device|CONFIG_SHMBOX_DEVICE=y\nCONFIG_SHMBOX_DEVICE_OFFSET=0x9f000000|"
  "good|# two pools\nCONFIG_SHMBOX_POOL_COUNT=2\nCONFIG_SHMBOX_POOL1_SLOT_SIZE=2048\nCONFIG_SHMBOX_PORT_SYSV=y\nCONFIG_SHMBOX_SYSV_KEY_BASE=0x10000\n# CONFIG_SHMBOX_STATS is not set|")

set(tree ${WORK_DIR}/tree)
file(MAKE_DIRECTORY ${WORK_DIR})
set(failed 0)
foreach(c IN LISTS cases)
  string(REPLACE "|" ";" parts "${c}")
  list(GET parts 0 name)
  list(GET parts 1 body)
  list(LENGTH parts n)
  set(want "")
  if(n GREATER 2)
    list(SUBLIST parts 2 -1 want)
  endif()
  string(REPLACE "\\n" "\n" body "${body}")
  set(frag ${WORK_DIR}/${name}.conf)
  file(WRITE ${frag} "${body}\n")
  execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${tree} ${CONFIGURE_ARGS}
                          -DSHMBOX_BUILD_TESTS=OFF -DSHMBOX_BUILD_EXAMPLES=OFF -DSHMBOX_BUILD_TOOLS=OFF
                          -DSHMBOX_DEFCONFIG=${SOURCE_DIR}/config/defconfig -DSHMBOX_CONFIG_FRAGMENTS=${frag}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT want)
    if(NOT rc EQUAL 0 OR NOT err STREQUAL "" OR out MATCHES "warning:|error:|CMake Warning")
      message(SEND_ERROR "${name}: a correct fragment must configure silently (exit ${rc}):\n${err}${out}")
      set(failed 1)
    else()
      message(STATUS "${name}: configured, nothing on stderr")
    endif()
    continue()
  endif()
  if(rc EQUAL 0)
    message(SEND_ERROR "${name}: accepted:\n${body}")
    set(failed 1)
    continue()
  endif()
  string(REGEX MATCHALL "[^\n]*: error: [^\n]*" got "${err}")
  list(LENGTH got ngot)
  list(LENGTH want nwant)
  if(NOT ngot EQUAL nwant)
    message(SEND_ERROR "${name}: wanted ${nwant} error lines, got ${ngot}:\n${err}")
    set(failed 1)
    continue()
  endif()
  foreach(w IN LISTS want)
    string(REGEX MATCH "^([0-9]+):(.*)$" _ "${w}")
    set(prefix "${frag}:${CMAKE_MATCH_1}: error: ")
    set(text "${CMAKE_MATCH_2}")
    set(found 0)
    foreach(g IN LISTS got)
      string(FIND "${g}" "${prefix}" p)
      string(FIND "${g}" "${text}" t)
      if(p EQUAL 0 AND NOT t EQUAL -1)
        set(found 1)
      endif()
    endforeach()
    if(NOT found)
      message(SEND_ERROR "${name}: no line \"${prefix}...${text}...\" in:\n${err}")
      set(failed 1)
    endif()
  endforeach()
  string(REPLACE ";" "\n     " got "${got}")
  message(STATUS "${name}: refused, ${ngot} error(s):\n     ${got}")
endforeach()
if(failed)
  message(FATAL_ERROR "configuration error cases failed")
endif()
