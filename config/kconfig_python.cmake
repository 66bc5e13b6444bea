# SPDX-License-Identifier: MIT
# The one place that finds a Python interpreter able to import kconfiglib
# (Debian's /usr/bin/python3 first, not a pyenv one).
#   include(config/kconfig_python.cmake)   sets SHMBOX_PYTHON (cached) or fails
#   cmake -P config/kconfig_python.cmake   prints its path (the Makefile and
#                                          the shell scripts use this)

function(shmbox_find_kconfig_python out)
  foreach(candidate /usr/bin/python3 python3)
    find_program(_shmbox_py NAMES ${candidate} NO_CACHE)
    if(_shmbox_py)
      execute_process(COMMAND ${_shmbox_py} -c "import kconfiglib"
                      RESULT_VARIABLE _rc OUTPUT_QUIET ERROR_QUIET)
      if(_rc EQUAL 0)
        set(${out} "${_shmbox_py}" PARENT_SCOPE)
        return()
      endif()
    endif()
    unset(_shmbox_py)
  endforeach()
  message(FATAL_ERROR "shmbox: no python3 can import kconfiglib: apt-get install python3-kconfiglib")
endfunction()

if(CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
  shmbox_find_kconfig_python(_py)
  execute_process(COMMAND ${CMAKE_COMMAND} -E echo "${_py}")
elseif(NOT SHMBOX_PYTHON)
  shmbox_find_kconfig_python(_py)
  set(SHMBOX_PYTHON "${_py}" CACHE FILEPATH "Python with kconfiglib")
endif()
