# SPDX-License-Identifier: MIT
# shmbox_device: a copy of the library built with this build's config plus
# CONFIG_SHMBOX_DEVICE=y (device regions, off by default), for the tests of
# device regions (tests/ports/posix, tests/cli) whatever the build's own
# config says. POSIX port only. Defined once, by whichever includes it first.
include(${CMAKE_CURRENT_LIST_DIR}/library.cmake)
if(CONFIG_SHMBOX_PORT_POSIX AND NOT TARGET shmbox_device)
  find_package(Threads REQUIRED)
  set(_dev_dir ${CMAKE_BINARY_DIR}/shmbox-device-config)
  shmbox_config_variant(${_dev_dir} "CONFIG_SHMBOX_DEVICE=y\n")
  shmbox_library_sources(_dev_sources)
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
