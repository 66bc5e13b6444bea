# SPDX-License-Identifier: MIT
# Kconfig -> .config + <shmbox/shmbox_config.h>, at configure time.
#
# Inputs: SHMBOX_DEFCONFIG (a defconfig) and SHMBOX_CONFIG_FRAGMENTS (a list
# of fragments merged on top, later ones win). Relative paths are looked up
# in the top-level project first, then in shmbox's tree. Any change to the
# Kconfig, the defconfig or a fragment re-runs CMake's configure step. Any
# mistake in them fails it, each one printed as "file:line: error: ...".
# Sets CONFIG_* CMake variables from the resulting .config.

set(SHMBOX_DEFCONFIG "${CMAKE_CURRENT_SOURCE_DIR}/config/defconfig" CACHE FILEPATH "shmbox defconfig")
set(SHMBOX_CONFIG_FRAGMENTS "" CACHE STRING "shmbox Kconfig fragments merged over the defconfig (;-list)")

function(shmbox_resolve out path)
  if(IS_ABSOLUTE "${path}")
    set(${out} "${path}" PARENT_SCOPE)
  elseif(EXISTS "${CMAKE_SOURCE_DIR}/${path}")
    set(${out} "${CMAKE_SOURCE_DIR}/${path}" PARENT_SCOPE)
  else()
    set(${out} "${SHMBOX_SOURCE_DIR}/${path}" PARENT_SCOPE)
  endif()
endfunction()

# SHMBOX_PYTHON: an interpreter that can import kconfiglib.
include("${CMAKE_CURRENT_LIST_DIR}/kconfig_python.cmake")

shmbox_resolve(_defconfig "${SHMBOX_DEFCONFIG}")
set(_fragments)
foreach(f IN LISTS SHMBOX_CONFIG_FRAGMENTS)
  shmbox_resolve(_f "${f}")
  list(APPEND _fragments "${_f}")
endforeach()

set(SHMBOX_CONFIG_DIR "${CMAKE_CURRENT_BINARY_DIR}/shmbox-config")
set(SHMBOX_DOTCONFIG "${SHMBOX_CONFIG_DIR}/.config")
set(SHMBOX_CONFIG_HEADER "${SHMBOX_CONFIG_DIR}/include/shmbox/shmbox_config.h")
# The layout values are checked, and the region size computed, by the
# region format itself (component/format): config/format_tool.c built for
# the host, whatever the target (a cross or firmware build too), with the
# host's C compiler, found once (SHMBOX_HOST_CC, default cc).
if(NOT SHMBOX_HOST_CC)
  find_program(SHMBOX_HOST_CC NAMES cc gcc clang DOC "host C compiler for shmbox's configure-time format tool")
  if(NOT SHMBOX_HOST_CC)
    message(FATAL_ERROR "shmbox: no host C compiler (cc) to build the configure-time format tool: set SHMBOX_HOST_CC")
  endif()
endif()
set(_fmt_sources "${SHMBOX_SOURCE_DIR}/config/format_tool.c" "${SHMBOX_SOURCE_DIR}/component/format/format.c"
                 "${SHMBOX_SOURCE_DIR}/component/format/format_check.c"
                 "${SHMBOX_SOURCE_DIR}/component/format/format_text.c")
set(_fmt_header "${SHMBOX_SOURCE_DIR}/component/format/include/shmbox/shmbox_format.h")
set(SHMBOX_FORMAT_TOOL "${SHMBOX_CONFIG_DIR}/format_tool")
set(_fmt_stale FALSE) # IS_NEWER_THAN is true when the tool is missing
foreach(_src IN LISTS _fmt_sources _fmt_header)
  if("${_src}" IS_NEWER_THAN "${SHMBOX_FORMAT_TOOL}")
    set(_fmt_stale TRUE)
  endif()
endforeach()
if(_fmt_stale)
  file(MAKE_DIRECTORY "${SHMBOX_CONFIG_DIR}")
  execute_process(
    COMMAND ${SHMBOX_HOST_CC} -std=c11 -O1 -I "${SHMBOX_SOURCE_DIR}/component/format/include"
            -o "${SHMBOX_FORMAT_TOOL}" ${_fmt_sources}
    RESULT_VARIABLE _rc ERROR_VARIABLE _err)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "shmbox: building the format tool with ${SHMBOX_HOST_CC} failed:\n${_err}")
  endif()
endif()

# Problems in the defconfig or a fragment go straight to stderr, one
# "file:line: error: message" each, all of them.
execute_process(
  COMMAND ${SHMBOX_PYTHON} "${SHMBOX_SOURCE_DIR}/config/kconfig.py" --format-tool "${SHMBOX_FORMAT_TOOL}"
          "${SHMBOX_SOURCE_DIR}/Kconfig"
          "${_defconfig}" "${SHMBOX_DOTCONFIG}" "${SHMBOX_CONFIG_HEADER}" ${_fragments}
  RESULT_VARIABLE _rc OUTPUT_VARIABLE _out OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "shmbox: the configuration (${_defconfig} ${_fragments}) has the errors listed above")
endif()
message(STATUS "${_out}")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             "${SHMBOX_SOURCE_DIR}/Kconfig" "${SHMBOX_SOURCE_DIR}/config/kconfig.py"
             "${SHMBOX_SOURCE_DIR}/config/kconfig_check.py" ${_fmt_sources} "${_fmt_header}"
             "${_defconfig}" ${_fragments})

# menuconfig and savedefconfig on this build's configuration:
#   shmbox-menuconfig     edits the last fragment of SHMBOX_CONFIG_FRAGMENTS
#                         (the project's own) in place; the next build uses it
#   shmbox-savedefconfig  writes a minimal defconfig of the whole configuration
#                         to <build>/shmbox-config/defconfig
if(NOT TARGET shmbox-menuconfig)
  set(_tool ${SHMBOX_PYTHON} "${SHMBOX_SOURCE_DIR}/config/kconfig_tool.py")
  if(_fragments)
    list(GET _fragments -1 _own)
    add_custom_target(shmbox-menuconfig
      COMMAND ${_tool} menuconfig "${SHMBOX_SOURCE_DIR}/Kconfig" --config "${SHMBOX_CONFIG_DIR}/menuconfig/.config"
              --inputs "${_defconfig}" ${_fragments} --fragment "${_own}"
      USES_TERMINAL VERBATIM COMMENT "shmbox: menuconfig on ${_own}")
  else()
    add_custom_target(shmbox-menuconfig
      COMMAND ${CMAKE_COMMAND} -E echo "shmbox-menuconfig edits the project's own fragment, the last of SHMBOX_CONFIG_FRAGMENTS, and none is set: set it (an empty file will do). In shmbox's own tree: make menuconfig"
      COMMAND ${CMAKE_COMMAND} -E false
      VERBATIM)
  endif()
  add_custom_target(shmbox-savedefconfig
    COMMAND ${_tool} savedefconfig "${SHMBOX_SOURCE_DIR}/Kconfig" --inputs "${_defconfig}" ${_fragments}
            --out "${SHMBOX_CONFIG_DIR}/defconfig"
    VERBATIM)
endif()

file(STRINGS "${SHMBOX_DOTCONFIG}" _lines REGEX "^CONFIG_")
foreach(line IN LISTS _lines)
  string(REGEX MATCH "^(CONFIG_[A-Za-z0-9_]+)=(.*)$" _m "${line}")
  set(_k "${CMAKE_MATCH_1}")
  set(_v "${CMAKE_MATCH_2}")
  string(REGEX REPLACE "^\"(.*)\"$" "\\1" _v "${_v}")
  set(${_k} "${_v}")
endforeach()
