# SPDX-License-Identifier: MIT
# Functions for test copies of the library, built with other definitions
# or another config header (tests/, and tests/cli in the tools tree).
include_guard(GLOBAL)

# shmbox_library_sources(VAR): the library's sources as absolute paths, for
# test copies of it built with other definitions or another config header.
function(shmbox_library_sources out)
  get_target_property(_srcs shmbox SOURCES)
  set(_abs)
  foreach(src IN LISTS _srcs)
    if(IS_ABSOLUTE "${src}")
      list(APPEND _abs "${src}")
    else()
      list(APPEND _abs "${SHMBOX_SOURCE_DIR}/${src}")
    endif()
  endforeach()
  set(${out} ${_abs} PARENT_SCOPE)
endfunction()

# shmbox_config_variant(DIR LINES): this build's configuration plus the
# Kconfig lines LINES, generated into DIR/include/shmbox/shmbox_config.h
# (with DIR/.config), for a test copy of the library; configuring stops
# if the generator refuses them.
function(shmbox_config_variant dir lines)
  file(WRITE ${dir}/variant.conf "${lines}")
  execute_process(
    COMMAND ${SHMBOX_PYTHON} ${SHMBOX_SOURCE_DIR}/config/kconfig.py --format-tool ${SHMBOX_FORMAT_TOOL} ${SHMBOX_SOURCE_DIR}/Kconfig
            ${SHMBOX_DOTCONFIG} ${dir}/.config ${dir}/include/shmbox/shmbox_config.h ${dir}/variant.conf
    RESULT_VARIABLE _rc OUTPUT_QUIET ERROR_VARIABLE _err)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "test config ${dir} (${lines}): ${_err}")
  endif()
endfunction()
