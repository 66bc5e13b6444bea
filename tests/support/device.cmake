# SPDX-License-Identifier: MIT
# shmbox_device: a copy of the library built with this build's config plus
# CONFIG_SHMBOX_DEVICE=y (device regions, off by default), for the tests of
# device regions (tests/ports/posix, tests/cli) whatever the build's own
# config says. POSIX port only. Defined once, by whichever includes it first.
if(CONFIG_SHMBOX_PORT_POSIX AND NOT TARGET shmbox_device)
  find_package(Threads REQUIRED)
  set(_dev_dir ${CMAKE_BINARY_DIR}/shmbox-device-config)
  file(WRITE ${_dev_dir}/device.conf "CONFIG_SHMBOX_DEVICE=y\n")
  execute_process(
    COMMAND ${SHMBOX_PYTHON} ${SHMBOX_SOURCE_DIR}/config/kconfig.py --format-tool ${SHMBOX_FORMAT_TOOL} ${SHMBOX_SOURCE_DIR}/Kconfig
            ${SHMBOX_DOTCONFIG} ${_dev_dir}/.config ${_dev_dir}/include/shmbox/shmbox_config.h
            ${_dev_dir}/device.conf
    RESULT_VARIABLE _dev_rc OUTPUT_QUIET ERROR_VARIABLE _dev_err)
  if(NOT _dev_rc EQUAL 0)
    message(FATAL_ERROR "device region test config: ${_dev_err}")
  endif()
  get_target_property(_dev_srcs shmbox SOURCES)
  set(_dev_sources)
  foreach(src IN LISTS _dev_srcs)
    if(IS_ABSOLUTE "${src}")
      list(APPEND _dev_sources "${src}")
    else()
      list(APPEND _dev_sources "${SHMBOX_SOURCE_DIR}/${src}")
    endif()
  endforeach()
  add_library(shmbox_device STATIC ${_dev_sources})
  target_include_directories(shmbox_device BEFORE PUBLIC ${_dev_dir}/include)
  target_include_directories(shmbox_device
    PUBLIC ${SHMBOX_SOURCE_DIR}/component/include ${SHMBOX_SOURCE_DIR}/component/format/include
    PRIVATE ${SHMBOX_SOURCE_DIR}/component/src ${SHMBOX_PORT_INCLUDE_DIRS})
  target_link_libraries(shmbox_device PUBLIC Threads::Threads)
  if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    target_link_libraries(shmbox_device PUBLIC rt)
  endif()
  target_compile_options(shmbox_device PRIVATE ${SHMBOX_WARNINGS})
  set_target_properties(shmbox_device PROPERTIES C_STANDARD 11 C_EXTENSIONS OFF)
endif()
