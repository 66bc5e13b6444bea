# SPDX-License-Identifier: MIT
# The config-mismatch test (cmake -P): a region made by one build is
# refused by a build with a different config, with -EPROTO and a detail
# naming the differing value - in both directions.
#
# -D NATIVE_PEER=   the peer of the main tree
#    SOURCE_DIR=    tests/mismatch      BINARY_DIR= where to build the other
#    CONFIGURE_ARGS= ;-list of cmake arguments for the other build
#    EMULATOR=      ;-list, may be empty (qemu-user for cross builds)
foreach(v NATIVE_PEER SOURCE_DIR BINARY_DIR)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "run.cmake: ${v} not set")
  endif()
endforeach()

execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BINARY_DIR} ${CONFIGURE_ARGS}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring the second build failed:\n${out}\n${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY_DIR} --target mismatch_peer -j2
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "building the second build failed:\n${out}\n${err}")
endif()
set(OTHER_PEER ${BINARY_DIR}/mismatch_peer)

function(peer out prog)
  execute_process(COMMAND ${EMULATOR} ${prog} ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE o ERROR_VARIABLE e
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  message(STATUS "${prog} ${ARGN}: exit ${rc}\n${o}${e}")
  set(${out}_rc ${rc} PARENT_SCOPE)
  set(${out} "${o}" PARENT_SCOPE)
endfunction()

peer(native_size ${NATIVE_PEER} msg-size)
peer(other_size ${OTHER_PEER} msg-size)
if(NOT native_size_rc EQUAL 0 OR NOT other_size_rc EQUAL 0 OR native_size STREQUAL other_size)
  message(FATAL_ERROR "the two builds must differ in CONFIG_SHMBOX_MSG_SIZE (${native_size} vs ${other_size})")
endif()

set(failed "")
# One direction, then the other: creator, opener, the creator's value.
foreach(dir "NATIVE_PEER;OTHER_PEER;native_size" "OTHER_PEER;NATIVE_PEER;other_size")
  list(GET dir 0 c)
  list(GET dir 1 o)
  list(GET dir 2 theirs)
  peer(name ${${c}} create)
  if(NOT name_rc EQUAL 0 OR name STREQUAL "")
    string(APPEND failed " create(${c})")
    continue()
  endif()
  peer(res ${${o}} open ${name} ${${theirs}})
  if(NOT res_rc EQUAL 0)
    string(APPEND failed " open(${o})")
  endif()
  peer(gone ${${c}} unlink ${name})
endforeach()
if(failed)
  message(FATAL_ERROR "config mismatch test failed:${failed}")
endif()
message(STATUS "a region of either build is refused by the other with -EPROTO naming CONFIG_SHMBOX_MSG_SIZE")
